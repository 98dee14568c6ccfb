module.exports = {
  displayName: 'demo-upstreams',
  preset: '../../jest.preset.js',
  moduleFileExtensions: ['ts', 'js', 'json'],
  coverageDirectory: '../../coverage/apps/demo-upstreams',
};
