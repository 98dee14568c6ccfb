import type { Dispatcher } from 'undici';
import { BodyTooLargeError } from './upstream.errors';

/**
 * Reads a whole response body into one Buffer (a view, no copy), refusing a `content-length` over `maxBytes` up
 * front (the body is destroyed, which drops the connection instead of draining it). The cap while streaming is
 * enforced by the pool's `maxResponseSize` (same value), which fails the read with `UND_ERR_RES_EXCEEDED_MAX_SIZE`;
 * undici's own consumer is used because it is the cheapest way to collect a body.
 */
export async function readBody(
  body: Dispatcher.ResponseData['body'],
  contentLength: string | string[] | undefined,
  maxBytes: number,
): Promise<Buffer> {
  if (typeof contentLength === 'string' && Number(contentLength) > maxBytes) {
    body.destroy();
    throw new BodyTooLargeError(`content-length over ${maxBytes} bytes`);
  }
  const bytes = await body.bytes();
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
