import { createBffApp, type BffApp } from '@frontdoor/platform';
import type { DestinationStream } from 'pino';
import type { MobileConfig } from './mobile.config';
import { MobileBffModule } from './mobile-bff.module';

/**
 * Builds the mobile BFF (not listening yet): used by main.ts and by the e2e tests. A phone on a slow link gets an
 * ETag on every GET (If-None-Match → 304, no body) and gzip/brotli by Accept-Encoding.
 */
export function createMobileBff(config: MobileConfig, logDestination?: DestinationStream): Promise<BffApp> {
  return createBffApp(MobileBffModule.forRoot(config), { app: 'mobile-bff', server: config, logDestination, etag: true, compression: true });
}
