import type { Logger } from 'pino';

/**
 * Warnings of one kind (same upstream or status, failure, detail and cause) repeated within `windowMs` are written
 * once: the first with its request id, then, when the window closes, one line saying how many more there were.
 * During an outage every refused request used to add its own warning (1,000 lines a second at 1,000 req/s), which
 * buries what changed; each request keeps its access line with its status and upstream outcomes. At most
 * `maxKinds` kinds are held at once; past that a warning is written as it comes. Written by hand: pino has no
 * sampling or deduplication of its own.
 */
export class RepeatedWarnings {
  private readonly open = new Map<string, { repeated: number }>();

  constructor(
    private readonly logger: Logger,
    private readonly windowMs = 10_000,
    private readonly maxKinds = 100,
  ) {}

  /** `fields` other than `reqId` describe the kind, and go into the summary line too. */
  warn(kind: string, fields: Readonly<Record<string, unknown>>, msg: string): void {
    const open = this.open.get(kind);
    if (open !== undefined) {
      open.repeated++;
      return;
    }
    this.logger.warn(fields, msg);
    if (this.open.size >= this.maxKinds) return;
    const entry = { repeated: 0 };
    this.open.set(kind, entry);
    const timer = setTimeout(() => {
      this.open.delete(kind);
      if (entry.repeated === 0) return;
      const { reqId: _first, ...kindFields } = fields;
      const windowS = this.windowMs / 1000;
      this.logger.warn({ ...kindFields, repeated: entry.repeated, windowS }, `${msg} (${entry.repeated} more like this in ${windowS} s)`);
    }, this.windowMs);
    timer.unref();
  }
}
