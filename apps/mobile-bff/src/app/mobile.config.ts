import { bffSchema, mobileCursorSchema, type ConfigOf } from '@frontdoor/config';

/** bffSchema('mobile-bff') already holds MOBILE_CURSOR_SECRET; spreading its section again types it exactly. */
export const mobileSchema = { ...bffSchema('mobile-bff'), ...mobileCursorSchema } as const;
export type MobileConfig = ConfigOf<typeof mobileSchema>;
