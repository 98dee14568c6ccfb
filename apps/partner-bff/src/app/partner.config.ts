import { bffSchema, partnerKeysSchema, type ConfigOf } from '@frontdoor/config';

export const partnerSchema = { ...bffSchema('partner-bff'), ...partnerKeysSchema } as const;
export type PartnerConfig = ConfigOf<typeof partnerSchema>;
