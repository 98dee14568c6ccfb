module.exports = {
  displayName: 'translator',
  preset: '../../jest.preset.js',
  moduleFileExtensions: ['ts', 'js', 'json'],
  coverageDirectory: '../../coverage/libs/translator',
};
