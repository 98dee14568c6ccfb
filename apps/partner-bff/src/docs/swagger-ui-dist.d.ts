/** swagger-ui-dist ships no types; this is the one file of it the gateway loads in Node (its index loads the browser bundles). */
declare module 'swagger-ui-dist/absolute-path.js' {
  /** The directory holding swagger-ui-dist's assets. */
  function getAbsoluteFSPath(): string;
  export = getAbsoluteFSPath;
}
