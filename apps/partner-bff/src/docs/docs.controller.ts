import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { ProblemError } from '@frontdoor/errors';
import { Produces, Public } from '@frontdoor/rbac';
import type { FastifyReply } from 'fastify';
import { DOCS_CSP, loadDocsAssets, type DocsAsset } from './docs.assets';

/**
 * The rendered API reference at `/docs` (Swagger UI over `/v1/openapi.json` and `/v2/openapi.json`). Served by a
 * Nest controller rather than `SwaggerModule.setup`, whose routes are raw Fastify routes: here the docs are public
 * but limited per client IP like every public route, answer problems like every route, and carry a CSP.
 */
@Public()
@ApiExcludeController()
@Controller('docs')
export class DocsController {
  private readonly assets = loadDocsAssets();

  @Get()
  @Produces('text/html')
  page(@Res({ passthrough: true }) reply: FastifyReply): Buffer {
    return this.send('', reply, 'no-cache');
  }

  @Get(':asset')
  @Produces('*/*')
  asset(@Param('asset') name: string, @Res({ passthrough: true }) reply: FastifyReply): Buffer {
    return this.send(name, reply, 'public, max-age=3600');
  }

  private send(name: string, reply: FastifyReply, cacheControl: string): Buffer {
    const asset: DocsAsset | undefined = this.assets.get(name);
    if (asset === undefined) throw new ProblemError('not-found', 'There is no such documentation file.');
    reply.header('Content-Security-Policy', DOCS_CSP);
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Cache-Control', cacheControl);
    reply.type(asset.type);
    return asset.body;
  }
}
