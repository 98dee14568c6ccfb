import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';

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
