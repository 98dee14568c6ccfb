// kubernetes-models 5 and its validators are ESM-only, with an "import" export condition only, which Jest's CommonJS
// resolver does not take: map those imports to their files, and let the preset's swc transform turn them (and the
// ESM-only is-cidr chain they use) into CommonJS, as the preset does for content-disposition.
const modules = '<rootDir>/../../node_modules';

module.exports = {
  displayName: 'deploy',
  preset: '../../jest.preset.js',
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^kubernetes-models/(.*)$': `${modules}/kubernetes-models/$1.js`,
    '^@kubernetes-models/(base|validate)$': `${modules}/@kubernetes-models/$1/dist/index.js`,
    '^@kubernetes-models/apimachinery/(.*)$': `${modules}/@kubernetes-models/apimachinery/$1.js`,
  },
  transformIgnorePatterns: [
    '/node_modules/(?!(.*/node_modules/)?(content-disposition|kubernetes-models|@kubernetes-models|is-cidr|cidr-regex|ip-regex)/)',
  ],
  testTimeout: 60000,
};
