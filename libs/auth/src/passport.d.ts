// Minimal typings for the two untyped packages the strategies use (no @types packages are installed for them).

declare module 'passport-custom' {
  import type { IncomingMessage } from 'node:http';

  type Done = (error: unknown, user?: unknown, info?: unknown) => void;

  /** passport-custom 1.1: `verify(req, done)` decides; the strategy has no other behaviour. */
  export class Strategy {
    constructor(verify: (req: IncomingMessage, done: Done) => void);
    name: string;
  }
}

declare module 'passport' {
  interface Passport {
    unuse(name: string): Passport;
  }
  const passport: Passport;
  export = passport;
}
