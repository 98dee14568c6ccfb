export { asDegraded, degradedOf, noteDegraded, type Degraded } from './degraded';
export {
  gather,
  optional,
  partialOf,
  required,
  DEFAULT_OPTIONAL_SHARE,
  type Gathered,
  type GatherOptions,
  type OptionalPart,
  type Part,
  type PartBudget,
  type PartValues,
  type RequiredPart,
} from './fork-join';
export { mergeDisjoint, assertDisjointKeys, KeyCollisionError, type NoSharedKeys, type SharedKeys } from './merge';
