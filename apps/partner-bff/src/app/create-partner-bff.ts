import { createBffApp, type BffApp } from '@frontdoor/platform';
import type { DestinationStream } from 'pino';
import { OpenApiDocuments } from '../openapi/openapi.documents';
import { v1AnswerHeaders } from '../v1/v1-lifecycle.hook';
import type { PartnerConfig } from './partner.config';
import { PartnerBffModule } from './partner-bff.module';

/**
 * Builds the partner BFF (not listening yet): used by main.ts and by the e2e tests. Before it can listen, the
 * OpenAPI document of each version is generated from the controllers (once), and every /v1 answer gets its
 * deprecation headers.
 */
export async function createPartnerBff(config: PartnerConfig, logDestination?: DestinationStream): Promise<BffApp> {
  const app = await createBffApp(PartnerBffModule.forRoot(config), {
    app: 'partner-bff',
    server: config,
    logDestination,
    answerHeaders: v1AnswerHeaders(),
  });
  app.nest.get(OpenApiDocuments).publish(app.nest);
  return app;
}
