module.exports = {
  displayName: 'web-bff',
  preset: '../../jest.preset.js',
  moduleFileExtensions: ['ts', 'js', 'json'],
  roots: ['<rootDir>/src', '<rootDir>/test'],
  coverageDirectory: '../../coverage/apps/web-bff',
};
