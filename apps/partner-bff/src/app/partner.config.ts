import { bffSchema, type ConfigOf } from '@frontdoor/config';

export const partnerSchema = bffSchema('partner-bff');
export type PartnerConfig = ConfigOf<typeof partnerSchema>;
