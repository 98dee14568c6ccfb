import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

/**
 * Kills (SIGKILL) every child of `children` still running, waits for its exit, closes its pipes, and empties the
 * list: an `afterEach` of specs that start real processes, so that none outlives its test.
 */
export async function killChildren(children: ChildProcess[]): Promise<void> {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
    child.stdout?.destroy();
    child.stderr?.destroy();
  }
}

/** The repository's root: where the apps' and libs' TypeScript entries are found. */
const ROOT = join(__dirname, '../../..');

/**
 * Runs TypeScript of this repository in a real Node process through the SWC loader (`node -r @swc-node/register
 * <args>`, `@frontdoor/*` aliases resolved from tsconfig.base.json), from the repository's root, with `env` alone
 * (PATH and the loader's tsconfig added) and stdout/stderr piped. The caller reads, waits for and kills it.
 */
export function spawnTypeScript(args: readonly string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['-r', '@swc-node/register', ...args], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'], SWC_NODE_PROJECT: join(ROOT, 'tsconfig.base.json'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
