module.exports = {
  displayName: 'demo-estate',
  preset: '../../jest.preset.js',
  moduleFileExtensions: ['ts', 'js', 'json'],
  coverageDirectory: '../../coverage/libs/demo-estate',
};
