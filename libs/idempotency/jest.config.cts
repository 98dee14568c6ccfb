module.exports = {
  displayName: 'idempotency',
  preset: '../../jest.preset.js',
  moduleFileExtensions: ['ts', 'js', 'json'],
  coverageDirectory: '../../coverage/libs/idempotency',
};
