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
    files: ['apps/*-bff/src/**/*.ts', 'libs/*/src/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.e2e-spec.ts', 'libs/testing/**', 'libs/demo-estate/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [
          { name: '@frontdoor/testing', message: 'testing helpers are for specs only' },
          { name: '@frontdoor/demo-estate', message: 'the demo estate is for specs and the demo only' },
        ] },
      ],
    },
  },
];
