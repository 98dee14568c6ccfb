import nx from '@nx/eslint-plugin';

// Module boundaries (STYLE.md): every project carries one scope:* and one type:* tag, and these constraints are
// enforced (never wildcards). `tools/workspace/module-boundaries.spec.ts` proves a forbidden import fails lint.
const testingOnly = 'type:testing';
export const depConstraints = [
  { sourceTag: 'scope:web', onlyDependOnLibsWithTags: ['scope:web', 'scope:shared'] },
  { sourceTag: 'scope:mobile', onlyDependOnLibsWithTags: ['scope:mobile', 'scope:shared'] },
  { sourceTag: 'scope:partner', onlyDependOnLibsWithTags: ['scope:partner', 'scope:shared'] },
  { sourceTag: 'scope:demo', onlyDependOnLibsWithTags: ['scope:demo', 'scope:shared'] },
  { sourceTag: 'scope:tools', onlyDependOnLibsWithTags: ['scope:tools', 'scope:shared'] },
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:util', testingOnly] },
  { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:util', testingOnly] },
  { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:data-access', 'type:util', testingOnly] },
  {
    sourceTag: 'type:util',
    onlyDependOnLibsWithTags: ['type:util', testingOnly],
    // util libs are pure functions: no framework, no transport
    bannedExternalImports: ['@nestjs/*', 'rxjs', 'rxjs/*', 'axios', '@nestjs/axios', 'fastify', '@fastify/*', 'undici', 'ioredis'],
  },
  // testing libs (stubs, the demo estate) use only pure utils, so that any spec can use them without a cycle
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: [testingOnly, 'type:util'] },
];

/** For the projects that are not shipped code: the shipped-code rules above off. */
export const notShippedCode = [{ files: ['**/*.ts'], rules: { 'no-restricted-imports': 'off', 'no-restricted-syntax': 'off' } }];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  { ignores: ['**/dist', '**/node_modules', '**/out-tsc', '**/.nx', '**/tmp', '**/*.cjs', '**/*.mjs', '**/*.js'] },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { enforceBuildableLibDependency: true, allow: [], banTransitiveDependencies: false, depConstraints },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Testing libraries (stubs, token minting, the demo estate) are imported by specs only, never by shipped code.
    // Patterns work from the root and from a project's own eslint.config.mjs (which `nx lint` uses, and against
    // whose directory flat-config patterns are resolved: `apps/*-bff/src/**` matched nothing there). The projects that
    // are not shipped code (libs/testing, libs/demo-estate, apps/demo-upstreams, tools) turn these rules off in theirs.
    files: ['**/src/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.e2e-spec.ts', '**/testing/**', 'libs/demo-estate/**', 'apps/demo-upstreams/**', 'tools/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [
          { name: '@frontdoor/testing', message: 'testing helpers are for specs only' },
          { name: '@frontdoor/demo-estate', message: 'the demo estate is for specs and the demo only' },
        ] },
      ],
      // Node 20's V8 (11.3) gives an object literal that starts with a spread and has anything after it
      // (`{ ...a, b }`, `{ ...a, ...b }`) a new hidden class on every evaluation, allocated in old space: ~1 µs per
      // copy, property reads on the result go megamorphic, and partner-bff ran twice the mark-compacts of web-bff
      // for one such copy per request (docs/benchmarks.md, "Hidden classes made per request").
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ObjectExpression > SpreadElement:first-child ~ *',
          message: 'write `Object.assign({}, a, { b })` or name the properties: `{ ...a, b }` makes a new hidden class per call on Node 20',
        },
      ],
    },
  },
  {
    // …except in code that runs once, at start (configuration, server options, API documents, decorators, wiring)
    files: [
      '**/env-var.ts',
      '**/frontdoor.schema.ts',
      '**/*.config.ts',
      '**/route-body-limit.ts',
      '**/openapi/**/*.ts',
      '**/server-options.ts',
      '**/create-bff-app.ts',
      '**/representation.decorators.ts',
      '**/redis-connection.ts',
      '**/upstream.registry.ts',
    ],
    rules: { 'no-restricted-syntax': 'off' },
  },
];
