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
  private readonly open = new Map<string, Window>();

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
    const window: Window = {
      repeated: 0,
      fields,
      msg,
      openedAt: Date.now(),
      timer: setTimeout(() => this.close(kind), this.windowMs),
    };
    window.timer.unref();
    this.open.set(kind, window);
  }

  /**
   * Writes the summary of every window still open, now (the app is closing: runBff flushes the log after this), with
   * the seconds the window was open; without it the count of the last seconds before a shutdown was lost.
   */
  flush(): void {
    for (const kind of [...this.open.keys()]) this.close(kind);
  }

  private close(kind: string): void {
    const window = this.open.get(kind);
    if (window === undefined) return;
    this.open.delete(kind);
    clearTimeout(window.timer);
    if (window.repeated === 0) return;
    const { reqId: _first, ...kindFields } = window.fields;
    const windowS = Math.min(this.windowMs, Date.now() - window.openedAt) / 1000;
    this.logger.warn(
      Object.assign({}, kindFields, { repeated: window.repeated, windowS }),
      `${window.msg} (${window.repeated} more like this in ${windowS} s)`,
    );
  }
}

interface Window {
  repeated: number;
  readonly fields: Readonly<Record<string, unknown>>;
  readonly msg: string;
  readonly openedAt: number;
  readonly timer: NodeJS.Timeout;
}
