const nxPreset = require('@nx/jest/preset').default;
const path = require('path');

const swcOptions = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

module.exports = {
  ...nxPreset,
  testEnvironment: 'node',
  transform: { '^.+\\.[tj]s$': ['@swc/jest', swcOptions] },
  // content-disposition@3 (ESM-only) is required by @fastify/static@10 -> SwaggerModule on Fastify (TOOLCHAIN G9)
  transformIgnorePatterns: ['/node_modules/(?!(.*/node_modules/)?(content-disposition)/)'],
  setupFiles: [path.join(__dirname, 'tools/jest/setup-env.js')],
  testTimeout: 20000,
};
