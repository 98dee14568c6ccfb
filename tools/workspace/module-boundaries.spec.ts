import { createProjectGraphAsync } from '@nx/devkit';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * The module-boundary matrix of STYLE.md is enforced, not only written down: each forbidden import below must
 * make lint fail, and the allowed control must pass. Files are linted as if they lived at the given path.
 */
const root = join(__dirname, '../..');

const RULES = /^(@nx\/enforce-module-boundaries|no-restricted-imports|no-restricted-syntax): /;

type Case = readonly [name: string, filePath: string, code: string];

/**
 * Where ESLint finds its config: the root's (an editor, `npx eslint` at the root) or the project's own
 * eslint.config.mjs, as `nx lint` runs it — flat-config file patterns resolve against that config's directory.
 */
type From = 'root' | 'project';
const FROM: readonly From[] = ['root', 'project'];

/** `libs/routing/src/x.ts` → `libs/routing`. */
const projectOf = (filePath: string): string => filePath.split('/').slice(0, 2).join('/');

/** Lints every case in one ESLint run (a child process: see lint-text.mjs); returns the boundary errors of each. */
function lintAll(cases: readonly (readonly [...Case, From])[]): string[][] {
  const input = JSON.stringify(
    cases.map(([, filePath, code, from]) => ({
      filePath: join(root, filePath),
      code,
      cwd: from === 'project' ? join(root, projectOf(filePath)) : root,
    })),
  );
  const output = execFileSync(process.execPath, [join(__dirname, 'lint-text.mjs')], {
    cwd: root,
    input,
    encoding: 'utf8',
  });
  return (JSON.parse(output) as string[][]).map((messages) =>
    messages.filter((m) => RULES.test(m)).map((m) => m.replace(RULES, '')),
  );
}

const results = new Map<string, string[]>();
function boundaryErrors(filePath: string, code: string, from: From): string[] {
  const errors = results.get(`${from}\n${filePath}\n${code}`);
  if (!errors) throw new Error(`${filePath} was not linted`);
  return errors;
}

beforeAll(async () => {
  // The Nx lint rule reads the cached project graph; make sure it exists in a fresh clone.
  await createProjectGraphAsync({ exitOnError: false });
  const cases: Case[] = [
    ...FORBIDDEN.map(([name, filePath, code]): Case => [name, filePath, code]),
    ...ALLOWED,
  ];
  const all = FROM.flatMap((from) =>
    cases.map(([name, filePath, code]) => [name, filePath, code, from] as const),
  );
  lintAll(all).forEach((errors, i) => {
    const [, filePath, code, from] = all[i] as (typeof all)[number];
    results.set(`${from}\n${filePath}\n${code}`, errors);
  });
});

const FORBIDDEN: readonly (readonly [string, string, string, RegExp])[] = [
  [
    'a util lib importing a feature lib',
    'libs/contract-lock/src/fixture.ts',
    "import { HttpMetrics } from '@frontdoor/observability';\nexport const x = HttpMetrics;\n",
    /tagged with "type:util" can only depend on libs tagged with "type:util"/,
  ],
  [
    'a util lib importing @nestjs',
    'libs/config/src/fixture.ts',
    "import { Injectable } from '@nestjs/common';\nexport const x = Injectable;\n",
    /"type:util" is not allowed to import "@nestjs\/common"/,
  ],
  [
    'a data-access lib importing a feature lib',
    'libs/redis/src/fixture.ts',
    // rbac, not observability: observability imports redis (its connections' state changes), so that import
    // would be reported as a cycle before the tag rule
    "import { PARTNER_ROLE } from '@frontdoor/rbac';\nexport const x = PARTNER_ROLE;\n",
    /tagged with "type:data-access" can only depend on libs tagged with/,
  ],
  [
    'one app importing another app',
    'apps/web-bff/src/fixture.ts',
    "import { toMobileProduct } from '../../mobile-bff/src/products/mobile-product.shape';\nexport const x = toMobileProduct;\n",
    /Projects cannot be imported by a relative or absolute path/,
  ],
  [
    'shipped app code importing the testing lib',
    'apps/web-bff/src/fixture.ts',
    "import { startStub } from '@frontdoor/testing';\nexport const x = startStub;\n",
    /testing helpers are for specs only/,
  ],
  [
    'shipped app code importing the demo estate',
    'apps/partner-bff/src/fixture.ts',
    "import { startDemoEstate } from '@frontdoor/demo-estate';\nexport const x = startDemoEstate;\n",
    /demo estate is for specs and the demo only/,
  ],
  [
    'shipped code copying an object with `{ ...a, b }` (a hidden class per call on Node 20)',
    'libs/routing/src/fixture.ts',
    'export const withAccept = (headers: Record<string, string>) => ({ ...headers, accept: "application/json" });\n',
    /new hidden class per call on Node 20/,
  ],
];

const ALLOWED_CODE = [
  "import { createBffApp } from '@frontdoor/platform';",
  "import { UpstreamClient } from '@frontdoor/upstream';",
  "import { loadConfig } from '@frontdoor/config';",
  'export const x = [createBffApp, UpstreamClient, loadConfig];',
  '',
].join('\n');
const SPEC_CODE = "import { startStub } from '@frontdoor/testing';\nexport const x = startStub;\n";
const ALLOWED: readonly Case[] = [
  ['app → feature, data-access, util', 'apps/web-bff/src/fixture.ts', ALLOWED_CODE],
  [
    '`{ ...a, b }` in code run once at start (a *.config.ts)',
    'apps/web-bff/src/app/fixture.config.ts',
    'export const schema = (a: object) => ({ ...a, b: 1 });\n',
  ],
  [
    '`Object.assign({}, a, { b })` on a request path',
    'libs/routing/src/fixture.ts',
    'export const withB = (a: object) => Object.assign({}, a, { b: 1 });\n',
  ],
  ['a spec → testing', 'apps/web-bff/src/fixture.spec.ts', SPEC_CODE],
];

describe('module boundaries', () => {
  describe.each(FROM)('with the %s config', (from) => {
    it.each(FORBIDDEN)('%s fails lint', (_name, filePath, code, expected) => {
      const errors = boundaryErrors(filePath, code, from);
      expect(errors.length).toBeGreaterThan(0);
      expect(errors.join('\n')).toMatch(expected);
    });

    it.each(ALLOWED)('%s passes', (_name, filePath, code) => {
      expect(boundaryErrors(filePath, code, from)).toEqual([]);
    });
  });
});
