import { createBffApp, type BffApp } from '@frontdoor/platform';
import type { DestinationStream } from 'pino';
import type { WebConfig } from './web.config';
import { webCorsPolicy } from './web.cors';
import { WebBffModule } from './web-bff.module';

/** Builds the web BFF (not listening yet): used by main.ts and by the e2e tests. */
export function createWebBff(config: WebConfig, logDestination?: DestinationStream): Promise<BffApp> {
  return createBffApp(WebBffModule.forRoot(config), { app: 'web-bff', server: config, logDestination, cors: webCorsPolicy(config.corsOrigins) });
}
