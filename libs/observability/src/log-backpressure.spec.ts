import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { killChildren, spawnTypeScript, within } from '@frontdoor/testing';
import { LOG_BUFFER_MAX_BYTES, LOG_SYNC_FLUSH_MS } from './logger';

/**
 * A process logging through `createLogger`'s default destination (stdout), its stdout a pipe the test reads only
 * when told to: `LINES` lines of ~400 bytes, 1,000 per turn of the event loop, then `logged` on stderr; then, with
 * `EXIT_CODE`, `process.exit(EXIT_CODE)` (pino's exit hook flushes), else it idles until killed.
 */
const CHILD = `(() => {
  const { createLogger } = require(${JSON.stringify(join(__dirname, 'logger.ts'))});
  const logger = createLogger({ app: 'bp', level: 'info' });
  const lines = Number(process.env.LINES);
  const padding = 'p'.repeat(340);
  let i = 0;
  const burst = () => {
    for (const end = Math.min(lines, i + 1000); i < end; i++) logger.info({ i, padding }, 'request');
    if (i < lines) return void setImmediate(burst);
    process.stderr.write('logged\\n');
    if (process.env.EXIT_CODE) setTimeout(() => process.exit(Number(process.env.EXIT_CODE)), 100);
    else setInterval(() => undefined, 1000);
  };
  burst();
})();`;

interface Child {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  /** Resolves once the child has logged every line. */
  readonly logged: Promise<void>;
}

function startChild(env: Record<string, string>): Child {
  const child = spawnTypeScript(['-e', CHILD], env);
  // stdout is left unread: the pipe fills (64 KiB) and stays full until the test reads it
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stderr = '';
  const logged = new Promise<void>((resolve, reject) => {
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (stderr.includes('logged\n')) resolve();
    });
    void exited.then(() => reject(new Error(`the child exited before logging everything:\n${stderr}`)));
  });
  logged.catch(() => undefined);
  return { child, exited, logged };
}

describe('the log destination when stdout is not read (a real process, its stdout a pipe)', () => {
  const children: ChildProcess[] = [];
  afterEach(() => killChildren(children));

  it('holds at most LOG_BUFFER_MAX_BYTES, drops the rest, and says how many once stdout is read again', async () => {
    const lines = 40_000; // ~16 MB of lines: twice the bound
    const { child, logged } = startChild({ LINES: String(lines) });
    children.push(child);
    await logged;
    await sleep(300);

    // now read: what was held comes out, then one warning with the count of the lines that were not
    let text = '';
    child.stdout?.on('data', (d: Buffer) => (text += d.toString()));
    const started = Date.now();
    while (!text.includes('log lines were dropped') && Date.now() - started < 10_000) await sleep(50);
    await sleep(200);
    const received = text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as { msg: string; i?: number; droppedLines?: number; level: string });
    const written = received.filter((line) => line.msg === 'request');
    const warnings = received.filter((line) => line.droppedLines !== undefined);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ level: 'warn', app: 'bp' });
    // every line is either written whole, in order, or counted
    expect(written.length + (warnings[0]?.droppedLines ?? 0)).toBe(lines);
    expect(written.map((line) => line.i)).toEqual(Array.from({ length: written.length }, (_, i) => i));
    // what waited is bounded (plus what the pipe and the test's stream took before the pipe was full)
    expect(Buffer.byteLength(text)).toBeLessThan(LOG_BUFFER_MAX_BYTES + 512 * 1024);
    expect(written.length).toBeLessThan(lines * 0.6);
  }, 30_000);

  it('exits when told to, within LOG_SYNC_FLUSH_MS, though its lines cannot be written', async () => {
    const { child, logged, exited } = startChild({ LINES: '2000', EXIT_CODE: '3' });
    children.push(child);
    await logged;
    const asked = Date.now();
    // before the bound, process.exit waited for ever for the thread blocked writing to the full pipe
    expect(await within(exited, LOG_SYNC_FLUSH_MS + 4000)).toBe(3);
    expect(Date.now() - asked).toBeLessThan(LOG_SYNC_FLUSH_MS + 3000);
  }, 30_000);

  it('exits at once when its stdout is closed (EPIPE), as before', async () => {
    const { child, logged, exited } = startChild({ LINES: '2000', EXIT_CODE: '4' });
    children.push(child);
    child.stdout?.destroy();
    await logged;
    expect(await within(exited, 4000)).toBe(4);
  }, 30_000);
});
