export { createBffApp, type BffApp, type BffAppOptions, type ServerSettings } from './create-bff-app';
export { runBff, type ListenSettings } from './run-bff';
export { ProblemFilter } from './problem.filter';
export { sendProblem, sendProblemDocument, prefersXml, instanceOf } from './problem-response';
export { fromFrameworkError } from './framework-errors';
export { findPathProblem } from './path-hygiene';
export { upstreamReadiness } from './upstream-readiness';
export { ANONYMOUS, principalOf, type Principal } from '@frontdoor/rbac';
export { callContextOf } from './call-context';
