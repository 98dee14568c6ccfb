import { bffSchema, type ConfigOf } from '@frontdoor/config';

export const mobileSchema = bffSchema('mobile-bff');
export type MobileConfig = ConfigOf<typeof mobileSchema>;
