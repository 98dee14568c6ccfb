import type { ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, killChildren, spawnTypeScript } from '@frontdoor/testing';

/**
 * `runBff` in a process of its own with web-bff's configuration report of the process's environment (paths
 * are mapped for modules, not for this script: @frontdoor/config by its file).
 */
const CHILD = `(() => {
  const src = ${JSON.stringify(__dirname)};
  const { runBff } = require(src + '/run-bff.ts');
  const { createBffApp } = require(src + '/create-bff-app.ts');
  const { observedModule, testServer } = require(src + '/testing/listen-app.ts');
  const { bffSchema, configReportOf } = require(src + '/../../config/src/index.ts');
  const listen = { port: Number(process.env.PORT), host: '127.0.0.1', shutdownDrainMs: 1000 };
  const server = testServer({ logLevel: 'info' });
  const create = () => createBffApp(observedModule([]), { app: 't-bff', server });
  void runBff('t-bff', listen, create, configReportOf(bffSchema('web-bff')));
})();`;

function isLive(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    request({ host: '127.0.0.1', port, path: '/health/live', agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    })
      .on('error', () => resolve(false))
      .end();
  });
}

/** The log lines of `runBff` started with `env`, once it listens and its `configuration` line is out. */
async function startLinesOf(
  env: Record<string, string>,
  children: ChildProcess[],
): Promise<Record<string, unknown>[]> {
  const port = await freePort();
  const child = spawnTypeScript(['-e', CHILD], { ...env, PORT: String(port) });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const lines = () =>
    output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) throw new Error(`the app exited early:\n${output}`);
    // the log is written in batches, at least every second: the line comes after the app listens
    if (lines().some((l) => l['msg'] === 'configuration') && (await isLive(port))) return lines();
    await sleep(250);
  }
  throw new Error(`no configuration line within 60 s:\n${output}`);
}

const ESTATE = {
  NODE_ENV: 'production',
  JWT_ISSUER: 'https://id.example.com',
  JWT_AUDIENCE: 'frontdoor',
  ...Object.fromEntries(
    ['INVENTORY', 'HR', 'PAYROLL', 'SALES', 'CUSTOMERS'].map((n) => [`UPSTREAM_${n}_URL`, 'http://10.0.0.1']),
  ),
};

describe('JWT_JWKS_URL over plain http to another machine in production: one warning at start (a real process)', () => {
  const children: ChildProcess[] = [];
  afterEach(() => killChildren(children));

  it.each<[string, Record<string, string>, boolean]>([
    ['http://id.internal: warned', { ...ESTATE, JWT_JWKS_URL: 'http://id.internal:8080/jwks.json' }, true],
    ['https: not warned', { ...ESTATE, JWT_JWKS_URL: 'https://id.example.com/jwks.json' }, false],
  ])(
    '%s',
    async (_label, env, warned) => {
      const lines = await startLinesOf(env, children);
      const warnings = lines.filter((l) =>
        String(l['msg']).startsWith('JWT_JWKS_URL is a plain http:// URL'),
      );
      expect(warnings).toEqual(
        warned
          ? [
              expect.objectContaining({
                level: 'warn',
                variable: 'JWT_JWKS_URL',
                msg:
                  'JWT_JWKS_URL is a plain http:// URL to another machine (NODE_ENV=production): whoever can tamper ' +
                  'with that fetch can publish a key of their own and sign any user token with it; use https://',
              }),
            ]
          : [],
      );
    },
    90_000,
  );
});
