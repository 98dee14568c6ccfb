module.exports = {
  displayName: 'rate-limit',
  preset: '../../jest.preset.js',
  moduleFileExtensions: ['ts', 'js', 'json'],
  coverageDirectory: '../../coverage/libs/rate-limit',
};
