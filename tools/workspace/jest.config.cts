module.exports = {
  displayName: 'workspace',
  preset: '../../jest.preset.js',
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 120000,
};
