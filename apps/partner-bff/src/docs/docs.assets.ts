import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import getAbsoluteFSPath from 'swagger-ui-dist/absolute-path.js';

export interface DocsAsset {
  readonly type: string;
  readonly body: Buffer;
}

/** The page: no inline script or style, so the CSP below needs no hashes and no 'unsafe-inline' for scripts. */
const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Frontdoor partner API reference</title>
<link rel="stylesheet" href="/docs/swagger-ui.css">
<link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/swagger-ui-standalone-preset.js"></script>
<script src="/docs/docs.js"></script>
</body>
</html>
`;

/** Both versions, newest first; no external validator badge (it would call out to swagger.io). */
const INIT = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    urls: [{ url: '/v2/openapi.json', name: 'v2' }, { url: '/v1/openapi.json', name: 'v1 (deprecated)' }],
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: 'StandaloneLayout'
  });
});
`;

/**
 * Swagger UI renders its own elements with inline styles, hence `style-src 'unsafe-inline'`; scripts come only from
 * this origin, and nothing may be framed, posted or fetched elsewhere.
 */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const VENDOR: Readonly<Record<string, string>> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

/**
 * The docs page and its assets, read once at start (about 2 MB) from swagger-ui-dist (the version @nestjs/swagger
 * uses) rather than served from its whole directory: only these names exist.
 */
export function loadDocsAssets(root = getAbsoluteFSPath()): ReadonlyMap<string, DocsAsset> {
  const assets = new Map<string, DocsAsset>([
    ['', { type: 'text/html; charset=utf-8', body: Buffer.from(PAGE) }],
    ['docs.js', { type: 'text/javascript; charset=utf-8', body: Buffer.from(INIT) }],
  ]);
  for (const [name, type] of Object.entries(VENDOR)) assets.set(name, { type, body: readFileSync(join(root, name)) });
  return assets;
}
