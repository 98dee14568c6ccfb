module.exports = {
  displayName: 'redis',
  preset: '../../jest.preset.js',
  moduleFileExtensions: ['ts', 'js', 'json'],
  coverageDirectory: '../../coverage/libs/redis',
};
