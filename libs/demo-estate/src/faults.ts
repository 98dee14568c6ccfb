import { HttpProblem, isObject, type Reply } from './http-kit';
import type { Dialect } from './dialects';
import { mulberry32 } from './seed';

/**
 * How a service misbehaves (default: not at all). Applied in this order: `latencyMs`, then `mode: 'hang'`, then
 * `errorRate`, then `mode: 'garbage'`.
 *
 * `GET /health` gets latency and hang (a hung service is unhealthy) but never the injected 500s or garbage, so
 * health probes neither consume the error sequence nor mask a slow service. `/__demo/fault` is never faulted.
 */
export interface Fault {
  /** Delay before answering, milliseconds (0–600000). */
  latencyMs?: number;
  /** Fraction of requests answered 500 problem (0–1), drawn from a PRNG reset on every `setFault`: reproducible. */
  errorRate?: number;
  /** `garbage`: 200 with a truncated body in the right content type. `hang`: never answer (until the service stops). */
  mode?: 'normal' | 'garbage' | 'hang';
  /**
   * Delay after the work is done, before answering, milliseconds (0–600000): an order is placed even when its caller
   * gives up first — the unknown outcome a gateway timeout leaves. Not applied to `GET /health`.
   */
  answerDelayMs?: number;
}

const MAX_LATENCY_MS = 600_000;
const MODES = ['normal', 'garbage', 'hang'] as const;

/** Checks a fault from the API or from `PUT /__demo/fault`. @throws HttpProblem 400 naming the bad field */
export function validateFault(input: unknown): Fault {
  if (!isObject(input)) throw new HttpProblem(400, 'a fault is a JSON object');
  const unknown = Object.keys(input).filter((k) => !['latencyMs', 'errorRate', 'mode', 'answerDelayMs'].includes(k));
  if (unknown.length > 0) throw new HttpProblem(400, `unknown fault field(s): ${unknown.join(', ')}`);
  const { latencyMs, errorRate, mode, answerDelayMs } = input;
  for (const [name, value] of [['latencyMs', latencyMs], ['answerDelayMs', answerDelayMs]] as const) {
    if (value !== undefined && !(Number.isInteger(value) && (value as number) >= 0 && (value as number) <= MAX_LATENCY_MS))
      throw new HttpProblem(400, `${name} must be an integer from 0 to ${MAX_LATENCY_MS}`);
  }
  if (errorRate !== undefined && !(typeof errorRate === 'number' && errorRate >= 0 && errorRate <= 1))
    throw new HttpProblem(400, 'errorRate must be a number from 0 to 1');
  if (mode !== undefined && !MODES.includes(mode as Fault['mode'] & string))
    throw new HttpProblem(400, `mode must be one of ${MODES.join(', ')}`);
  return Object.freeze({ ...(input as Fault) });
}

/** What the fault decided for one request. */
export type FaultOutcome = { kind: 'proceed' } | { kind: 'answer'; reply: Reply } | { kind: 'drop' };

/** Waits `ms`; resolves `false` early when `signal` aborts (the client went away or the service stopped). */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (completed: boolean) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(completed);
    };
    const onAbort = () => done(false);
    const timer = setTimeout(() => done(true), ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** The fault settings of one service and its deterministic error sequence. */
export class FaultState {
  private fault: Fault = Object.freeze({});
  private draw: () => number;

  constructor(
    private readonly seed: number,
    private readonly dialect: Dialect,
  ) {
    this.draw = mulberry32(seed);
  }

  get current(): Fault {
    return this.fault;
  }

  /** Replaces the settings and restarts the error sequence. @throws HttpProblem 400 when invalid */
  set(fault: unknown): void {
    this.fault = validateFault(fault);
    this.draw = mulberry32(this.seed);
  }

  async apply(isHealth: boolean, signal: AbortSignal): Promise<FaultOutcome> {
    const { latencyMs = 0, errorRate = 0, mode = 'normal' } = this.fault;
    if (latencyMs > 0 && !(await sleep(latencyMs, signal))) return { kind: 'drop' };
    if (mode === 'hang') {
      await sleep(2 ** 31 - 1, signal); // the longest timer; abort (client gone, service stopped) ends it
      return { kind: 'drop' };
    }
    if (isHealth) return { kind: 'proceed' };
    if (errorRate > 0 && this.draw() < errorRate)
      return { kind: 'answer', reply: this.dialect.problem(500, 'injected fault') };
    if (mode === 'garbage') return { kind: 'answer', reply: this.dialect.garbage() };
    return { kind: 'proceed' };
  }

  /** After the work: waits `answerDelayMs`; `false` when the caller left meanwhile (the work stays done). */
  async afterWork(isHealth: boolean, signal: AbortSignal): Promise<boolean> {
    const { answerDelayMs = 0 } = this.fault;
    return isHealth || answerDelayMs === 0 || sleep(answerDelayMs, signal);
  }
}
