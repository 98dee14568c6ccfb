import { bffSchema, type ConfigOf } from '@frontdoor/config';

export const webSchema = bffSchema('web-bff');
export type WebConfig = ConfigOf<typeof webSchema>;
