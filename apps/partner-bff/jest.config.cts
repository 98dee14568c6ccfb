module.exports = {
  displayName: 'partner-bff',
  preset: '../../jest.preset.js',
  moduleFileExtensions: ['ts', 'js', 'json'],
  roots: ['<rootDir>/src', '<rootDir>/test'],
  coverageDirectory: '../../coverage/apps/partner-bff',
};
