import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import { problemForStatus } from '@frontdoor/errors';

const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  HPE_HEADER_OVERFLOW: 431,
  ERR_HTTP_REQUEST_TIMEOUT: 408,
};

/**
 * Fastify `clientErrorHandler`: requests Node's HTTP parser rejects (malformed request line, CL+TE, bare CR,
 * oversized headers…) never reach a route; answer them with problem+json too, as far as the socket allows, then
 * close the connection.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable || (error.code === 'ECONNRESET')) {
    socket.destroy();
    return;
  }
  const status = STATUS_BY_CODE[error.code ?? ''] ?? 400;
  const requestId = randomUUID();
  const body = JSON.stringify(problemForStatus(status, 'The request could not be parsed as HTTP.', requestId, '/'));
  socket.end(
    `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : status === 408 ? 'Request Timeout' : 'Bad Request'}\r\n` +
      'Content-Type: application/problem+json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      `X-Request-Id: ${requestId}\r\n` +
      'Cache-Control: no-store\r\n' +
      // the security hook's headers: this answer never reaches it
      'X-Content-Type-Options: nosniff\r\n' +
      'X-Frame-Options: DENY\r\n' +
      'Referrer-Policy: no-referrer\r\n' +
      'Connection: close\r\n\r\n' +
      body,
  );
}
