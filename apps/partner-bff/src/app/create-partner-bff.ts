import { createBffApp, type BffApp } from '@frontdoor/platform';
import type { DestinationStream } from 'pino';
import type { PartnerConfig } from './partner.config';
import { PartnerBffModule } from './partner-bff.module';

/** Builds the partner BFF (not listening yet): used by main.ts and by the e2e tests. */
export function createPartnerBff(config: PartnerConfig, logDestination?: DestinationStream): Promise<BffApp> {
  return createBffApp(PartnerBffModule.forRoot(config), { app: 'partner-bff', server: config, logDestination });
}
