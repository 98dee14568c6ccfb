import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '@frontdoor/testing';

const root = join(__dirname, '../../..');

/** web-bff running as a real process from its sources: the child, its port, and everything it has written so far. */
export interface WebBffProcess {
  readonly child: ChildProcess;
  readonly port: number;
  output(): string;
}

/**
 * Starts `apps/web-bff/src/main.ts` (through the SWC loader) on a free port of 127.0.0.1 with `env` (PATH, the loader's
 * tsconfig and PORT added), collects its stdout and stderr, and polls `isLive(port)` every 250 ms for up to 60 s.
 * @throws Error with the process's output when it exits before it is live
 */
export async function startWebBffProcess(env: Record<string, string>, isLive: (port: number) => Promise<boolean>): Promise<WebBffProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/web-bff/src/main.ts'], {
    cwd: root,
    env: { PATH: process.env['PATH'], SWC_NODE_PROJECT: join(root, 'tsconfig.base.json'), ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  for (let i = 0; i < 240 && !(await isLive(port)); i++) {
    if (child.exitCode !== null) throw new Error(`web-bff exited early:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return { child, port, output: () => output };
}
