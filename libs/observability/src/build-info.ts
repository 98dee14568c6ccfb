import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The root package.json's `name`: a package.json by another name (an app bundle's generated one) is not the gateway's. */
const ROOT_PACKAGE = 'frontdoor';

/**
 * The gateway's version when not built by webpack (tests, ts-node): the root package.json's, found from this file's
 * directory upwards, read once when this module loads (never per scrape); `unknown` when there is none.
 */
function readVersion(): string {
  for (let dir = __dirname, parent = dirname(dir); ; dir = parent, parent = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === ROOT_PACKAGE && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // no (readable) package.json here: look further up
    }
    if (parent === dir) return 'unknown';
  }
}

/** Set by the apps' webpack builds (DefinePlugin, apps/<app>/webpack.config.js); absent under jest and ts-node. */
declare const __FRONTDOOR_VERSION__: string | undefined;

export const BUILD_VERSION: string =
  typeof __FRONTDOOR_VERSION__ === 'string' ? __FRONTDOOR_VERSION__ : readVersion();
