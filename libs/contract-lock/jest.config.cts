module.exports = {
  displayName: 'contract-lock',
  preset: '../../jest.preset.js',
  moduleFileExtensions: ['ts', 'js', 'json'],
  coverageDirectory: '../../coverage/libs/contract-lock',
};
