export {
  startStub,
  closedPort,
  freePort,
  type RecordedRequest,
  type Stub,
  type StubHandler,
} from './stub.server';
export { faults, splitEvenly, UPSTREAM_BODY_MARKER } from './stub.faults';
export { rejectionOf, settle, within, type Settled } from './promise.helpers';
export { killChildren, spawnTypeScript } from './child-processes';
export { captureLogs, type LogCapture } from './log-capture';
export { rawRequest, type RawResponse } from './raw-request';
export { readinessWhen, type ReadinessBody } from './readiness';
export { startRedis, type RedisServer } from './redis-server';
export { startTestIdp, type TestIdp, type TestIdpKey, type TestIdpSignOptions } from './test-idp';
