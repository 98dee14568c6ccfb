import { UpstreamError } from '@frontdoor/errors';

/**
 * Minimal structural checks on upstream JSON: a body that parses but is not the expected shape is a bad
 * response (502), not a half-empty answer. Each reader copies only the named fields.
 */
export class ShapeError extends Error {}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function record(value: unknown, field: string): Record<string, unknown> {
  if (!isRecord(value)) throw new ShapeError(`${field} is not an object`);
  return value;
}

export function str(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new ShapeError(`${field} is not a string`);
  return value;
}

export function num(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ShapeError(`${field} is not a number`);
  return value;
}

export function strOrNull(value: unknown, field: string): string | null {
  return value === null || value === undefined ? null : str(value, field);
}

export function list(value: unknown, field: string): readonly unknown[] {
  if (!Array.isArray(value)) throw new ShapeError(`${field} is not an array`);
  return value;
}

/** Runs a reader; a ShapeError becomes a 502 naming the upstream logically. */
export function readAs<T>(upstream: string, value: unknown, reader: (v: unknown) => T): T {
  try {
    return reader(value);
  } catch (error) {
    if (error instanceof ShapeError) {
      throw new UpstreamError(upstream, 'bad-response', `${upstream} answered with an unexpected shape`, { cause: error });
    }
    throw error;
  }
}
