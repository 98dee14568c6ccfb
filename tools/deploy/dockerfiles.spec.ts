import { APP_PORTS } from '@frontdoor/config';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, readRepoFile } from './deploy-files';
import { ignoreProblems, imageProblems, type ImageSpec } from './image.checks';

// What can be checked without a Docker engine (none runs on these machines): each image is built from its own app's
// bundle alone, installs production dependencies only, runs as a non-root user and has a health check.
const bff = (app: keyof typeof APP_PORTS): ImageSpec => ({
  app,
  port: APP_PORTS[app],
  health: '/health/live',
  cmd: ['node', 'main.js'],
  extraSources: [],
});
const IMAGES: readonly ImageSpec[] = [
  bff('web-bff'),
  bff('mobile-bff'),
  bff('partner-bff'),
  {
    app: 'demo-upstreams',
    port: 4000,
    health: '/health',
    cmd: ['node', '--import', './demo-estate-expose.mjs', 'main.js'],
    extraSources: ['docker/demo-estate-expose.mjs'],
  },
];

describe.each(IMAGES)('docker/$app.Dockerfile', (spec) => {
  const file = `docker/${spec.app}.Dockerfile`;

  it('is multi-stage, copies only its own bundle, installs production deps only, runs non-root with a health check', () => {
    expect(imageProblems(readRepoFile(file), spec)).toEqual([]);
  });

  it('has its own ignore file that lets in nothing but its bundle', () => {
    expect(existsSync(join(ROOT, `${file}.dockerignore`))).toBe(true);
    expect(ignoreProblems(readRepoFile(`${file}.dockerignore`), spec)).toEqual([]);
  });
});

describe('the V8 heap cap of the BFF images', () => {
  // the benchmark and the soak measure the apps with the images' flags: one value in both places
  const benchValue = /IMAGE_NODE_OPTIONS = '([^']+)'/.exec(readRepoFile('tools/bench/lib/gateways.mjs'))?.[1];

  it.each(['web-bff', 'mobile-bff', 'partner-bff'])('%s runs with the flags the benchmark measures', (app) => {
    expect(benchValue).toMatch(/^--max-old-space-size=\d+$/);
    expect(readRepoFile(`docker/${app}.Dockerfile`)).toContain(`NODE_OPTIONS=${benchValue}`);
  });

  it.each(['web-bff', 'mobile-bff', 'partner-bff'])('leaves %s room below its pod memory limit for buffers and native memory', (app) => {
    const capMiB = Number(/--max-old-space-size=(\d+)/.exec(benchValue ?? '')?.[1]);
    const limit = /limits:\s*\n(?:\s+\w+: .*\n)*?\s+memory: (\d+)Mi/.exec(readRepoFile(`deploy/k8s/${app}/deployment.yaml`))?.[1];
    // old space + young generation (3 × 16 MiB semi-spaces) + the response cache (CACHE_MAX_BYTES, 32 MiB) + ~60 MiB native
    expect(capMiB + 48 + 32 + 60).toBeLessThanOrEqual(Number(limit));
  });
});

describe('the image checks catch a broken Dockerfile', () => {
  const spec = bff('web-bff');
  const good = readRepoFile('docker/web-bff.Dockerfile');

  it.each([
    [
      'another app’s bundle',
      ['COPY dist/apps/web-bff/ ./', 'COPY dist/apps/partner-bff/ ./'],
      'copies dist/apps/partner-bff/',
    ],
    ['the whole repository', ['COPY dist/apps/web-bff/ ./', 'COPY . ./'], 'copies .,'],
    ['dev dependencies', ['--omit=dev ', ''], 'installs dev dependencies'],
    ['npm install', ['npm ci --omit=dev --ignore-scripts', 'npm install'], 'installs outside the lockfile'],
    ['root', ['USER 1000:1000', 'USER root'], 'not one numeric non-root user'],
    ['no health check', ['HEALTHCHECK', '# HEALTHCHECK'], 'no HEALTHCHECK'],
    ['curl health check', ['CMD ["node", "-e"', 'CMD ["curl", "-f"'], 'no HEALTHCHECK'],
    ['one stage', ['FROM node:20-bookworm-slim\n', '# FROM\n'], 'not multi-stage'],
    ['a shell CMD', ['CMD ["node", "main.js"]', 'CMD node main.js'], 'CMD is not'],
    ['no heap cap', [' NODE_OPTIONS=--max-old-space-size=96', ''], 'no V8 heap cap'],
  ])('%s', (_case, [from, to], problem) => {
    const broken = good.replace(from, to);
    expect(broken).not.toBe(good);
    expect(imageProblems(broken, spec).join('\n')).toContain(problem);
  });

  it('and an ignore file that lets the repository in', () => {
    expect(ignoreProblems('*\n!dist/\n', spec).join('\n')).toContain('lets in dist/');
    expect(ignoreProblems('node_modules\n', spec).join('\n')).toContain('excluding everything');
  });
});
