import { bffSchema, corsSchema, type ConfigOf } from '@frontdoor/config';

/** bffSchema('web-bff') already holds CORS_ORIGINS; spreading its section again makes `corsOrigins` a required key. */
export const webSchema = { ...bffSchema('web-bff'), ...corsSchema } as const;
export type WebConfig = ConfigOf<typeof webSchema>;
