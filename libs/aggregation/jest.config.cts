module.exports = {
  displayName: 'aggregation',
  preset: '../../jest.preset.js',
  moduleFileExtensions: ['ts', 'js', 'json'],
  coverageDirectory: '../../coverage/libs/aggregation',
};
