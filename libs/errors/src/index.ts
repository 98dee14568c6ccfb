export { PROBLEM_TYPES, PROBLEM_TYPE_PREFIX, slugForStatus, type ProblemSlug } from './problem-types';
export {
  ProblemError,
  UpstreamError,
  isProblemError,
  isUpstreamError,
  type ProblemOptions,
  type ProblemExtensions,
  type UpstreamFailure,
} from './problem.errors';
export { toProblemDocument, problemForStatus, type ProblemDocument, type RenderedProblem } from './problem-document';
