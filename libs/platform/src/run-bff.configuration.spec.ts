import type { ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { closedPort, freePort, killChildren, spawnTypeScript } from '@frontdoor/testing';

/** MOBILE_CURSOR_SECRET's value: never to be seen in any output. */
const CURSOR_SECRET = 'SECRET-cursor-key-7f3a-0123456789abcdefghij';
const UPSTREAMS = ['INVENTORY', 'HR', 'PAYROLL', 'SALES', 'CUSTOMERS'].map((n) => `UPSTREAM_${n}_URL`);

type Line = Record<string, unknown>;

interface Run {
  readonly child: ChildProcess;
  readonly port: number;
  output(): string;
  lines(): Line[];
}

/** An app's real entry (`apps/<app>/src/main.ts` through the SWC loader) on 127.0.0.1 with `env` only. */
async function runApp(app: string, env: Record<string, string>): Promise<Run> {
  const port = await freePort();
  const child = spawnTypeScript([`apps/${app}/src/main.ts`], {
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    ...env,
    PORT: String(port),
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const lines = () =>
    stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Line);
  return { child, port, output: () => stdout + stderr, lines };
}

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

/** Waits (bounded: 60 s) until the app answers /health/live and its `configuration` line is written out. */
async function configurationLineOf(run: Run): Promise<Line> {
  for (let i = 0; i < 240; i++) {
    if (run.child.exitCode !== null) throw new Error(`the app exited early:\n${run.output()}`);
    const line = run.lines().find((l) => l['msg'] === 'configuration');
    // the log is written in batches, at least every second: the line comes after the app listens
    if (line !== undefined && (await isLive(run.port))) return line;
    await sleep(250);
  }
  throw new Error(`no configuration line within 60 s:\n${run.output()}`);
}

describe('the start-up configuration line and the demo-defaults warning (a real process)', () => {
  const children: ChildProcess[] = [];
  afterEach(() => killChildren(children));

  it.each<[string, string, (closed: string) => Record<string, string>, Record<string, unknown>, string[]]>([
    [
      'NODE_ENV=production, JWT_JWKS_URL empty: the line, a secret masked, and one warning naming JWT_JWKS_URL',
      'mobile-bff',
      (closed) => ({
        NODE_ENV: 'production',
        ...Object.fromEntries(UPSTREAMS.map((name) => [name, closed])),
        JWT_JWKS_URL: '',
        JWT_ISSUER: 'https://id.example.com',
        JWT_AUDIENCE: 'frontdoor-mobile',
        MOBILE_CURSOR_SECRET: CURSOR_SECRET,
      }),
      {
        JWT_ISSUER: { value: 'https://id.example.com', from: 'env' },
        JWT_JWKS_URL: { value: 'http://127.0.0.1:4000/.well-known/jwks.json', from: 'empty → default' },
        MOBILE_CURSOR_SECRET: { value: '***', from: 'env' },
        ROUTE_DEADLINE_MS: { value: '3000', from: 'default' },
      },
      ['JWT_JWKS_URL'],
    ],
    [
      'not production (the demo), every demo default in effect: the line, no warning',
      'web-bff',
      () => ({ OTEL_EXPORTER_OTLP_ENDPOINT: '' }),
      {
        JWT_JWKS_URL: { value: 'http://127.0.0.1:4000/.well-known/jwks.json', from: 'default' },
        CORS_ORIGINS: { value: 'http://localhost:4200', from: 'default' },
        OTEL_EXPORTER_OTLP_ENDPOINT: { value: 'unset', from: 'empty → default' },
      },
      [],
    ],
    [
      'partner-bff: the line, a value set',
      'partner-bff',
      () => ({ RATE_LIMIT_ANON_RPS: '7' }),
      {
        RATE_LIMIT_ANON_RPS: { value: '7', from: 'env' },
        PARTNER_KEYS_FILE: { value: 'var/partner-keys.json', from: 'default' },
      },
      [],
    ],
  ])(
    '%s (%s)',
    async (_label, app, env, entries, warned) => {
      const closed = `http://127.0.0.1:${await closedPort()}`;
      const run = await runApp(app, env(closed));
      children.push(run.child);
      const line = await configurationLineOf(run);
      expect(line).toMatchObject({ level: 'info', app, msg: 'configuration' });
      const configuration = line['configuration'] as Record<string, unknown>;
      expect(configuration).toMatchObject({ PORT: { value: String(run.port), from: 'env' }, ...entries });
      const warnings = run.lines().filter((l) => String(l['msg']).includes("local demo estate's default"));
      if (warned.length === 0) expect(warnings).toEqual([]);
      else {
        expect(warnings).toEqual([
          expect.objectContaining({
            level: 'warn',
            variables: warned,
            msg:
              `${warned.join(', ')} takes the local demo estate's default (NODE_ENV=production): set it, ` +
              'or this gateway trusts the dev identity provider / calls 127.0.0.1',
          }),
        ]);
      }
      expect(run.output()).not.toContain(CURSOR_SECRET);
      expect(run.output()).not.toContain('SECRET-cursor');
    },
    90_000,
  );
});
