module.exports = {
  displayName: 'observability',
  preset: '../../jest.preset.js',
  moduleFileExtensions: ['ts', 'js', 'json'],
  coverageDirectory: '../../coverage/libs/observability',
};
