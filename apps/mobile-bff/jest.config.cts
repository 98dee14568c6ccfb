module.exports = {
  displayName: 'mobile-bff',
  preset: '../../jest.preset.js',
  moduleFileExtensions: ['ts', 'js', 'json'],
  roots: ['<rootDir>/src', '<rootDir>/test'],
  coverageDirectory: '../../coverage/apps/mobile-bff',
};
