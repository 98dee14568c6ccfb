import { createBffApp, type BffApp } from '@frontdoor/platform';
import type { DestinationStream } from 'pino';
import type { MobileConfig } from './mobile.config';
import { MobileBffModule } from './mobile-bff.module';

/** Builds the mobile BFF (not listening yet): used by main.ts and by the e2e tests. */
export function createMobileBff(config: MobileConfig, logDestination?: DestinationStream): Promise<BffApp> {
  return createBffApp(MobileBffModule.forRoot(config), { app: 'mobile-bff', server: config, logDestination });
}
