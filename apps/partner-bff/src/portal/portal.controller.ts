import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Produces, Public } from '@frontdoor/rbac';
import type { FastifyReply } from 'fastify';
import { createHash } from 'node:crypto';
import { PORTAL_HTML } from './portal.page';

/** CSP computed once at start from the page's own inline script and style: nothing else may run or load. */
function inlineHash(tag: 'script' | 'style'): string {
  const match = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(PORTAL_HTML);
  return `'sha256-${createHash('sha256').update(match?.[1] ?? '').digest('base64')}'`;
}

export const PORTAL_CSP = [
  "default-src 'none'",
  `script-src ${inlineHash('script')}`,
  `style-src ${inlineHash('style')}`,
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The developer portal page: public, limited per client IP like the docs. HTML whatever the Accept header says. */
@Public()
@ApiExcludeController()
@Controller('portal')
export class PortalController {
  @Get()
  @Produces('text/html')
  @Header('Cache-Control', 'no-cache')
  page(@Res({ passthrough: true }) reply: FastifyReply): string {
    reply.header('Content-Security-Policy', PORTAL_CSP);
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.type('text/html; charset=utf-8');
    return PORTAL_HTML;
  }
}
