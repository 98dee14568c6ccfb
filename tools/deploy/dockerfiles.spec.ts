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
