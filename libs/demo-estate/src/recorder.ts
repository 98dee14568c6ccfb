/** A request as a service received it (for assertions on what a gateway forwarded). */
export interface RecordedRequest {
  method: string;
  /** Path including the query string, exactly as received. */
  path: string;
  /** Lower-cased header names, as Node parsed them. */
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Epoch milliseconds of receipt (after the body was read). */
  at: number;
}

/** A ring buffer of the last `capacity` requests of one service, oldest first. */
export class Recorder {
  private readonly entries: RecordedRequest[] = [];

  constructor(private readonly capacity = 200) {}

  record(entry: RecordedRequest): void {
    this.entries.push(entry);
    if (this.entries.length > this.capacity) this.entries.shift();
  }

  snapshot(): readonly RecordedRequest[] {
    return Object.freeze([...this.entries]);
  }

  clear(): void {
    this.entries.length = 0;
  }
}
