import { execFileSync, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigError, configProblem } from '@frontdoor/config';
import { freePort, killChildren, spawnTypeScript, within } from '@frontdoor/testing';
import { startupFailureOf } from './run-bff';
import { StartupError } from './server-options';

/** What a file that is no PEM holds: never to be seen in any output. */
const JUNK = 'not a pem: SECRET-CONTENTS-7f3a\n';

interface Run {
  readonly child: ChildProcess;
  readonly port: number;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stdout(): string;
  stderr(): string;
}

/** web-bff's real entry (`main.ts` through the SWC loader) on 127.0.0.1 with `env`; a free port unless `port`. */
async function runWebBff(env: Record<string, string>, port?: number): Promise<Run> {
  const listenPort = port ?? (await freePort());
  const child = spawnTypeScript(['apps/web-bff/src/main.ts'], { HOST: '127.0.0.1', ...env, PORT: String(listenPort) });
  const exited = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return { child, port: listenPort, exited, stdout: () => stdout, stderr: () => stderr };
}

/** The `configuration` lines of an app's stdout (its JSON log). */
function configurationLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line['msg'] === 'configuration');
}

/** The rows of the table below whose value `loadConfigOrExit` refuses, before any app is built. */
const REFUSED_BY_LOAD_CONFIG = new Set(['HOST=999.1.1.1', 'BODY_LIMIT_BYTES=0']);

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

function get(port: number, path: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    })
      .on('error', reject)
      .end();
  });
}

const pem = (key: KeyObject) => key.export({ type: 'pkcs8', format: 'pem' }) as string;

describe('a configured value that cannot work stops the real app: exit 78, one report naming it (a real process)', () => {
  const children: ChildProcess[] = [];
  let dir: string;
  const file = (name: string) => join(dir, name);
  afterEach(() => killChildren(children));
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'frontdoor-startup-'));
    // a real certificate needs an X.509 writer (node:crypto has none): openssl, as the TLS specs do
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-keyout',
        file('key.pem'),
        '-out',
        file('cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    writeFileSync(file('other-key.pem'), pem(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey));
    writeFileSync(file('p384.pem'), pem(generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey));
    writeFileSync(file('junk.pem'), JUNK);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // before (each): exit 1 with the library's words — "getaddrinfo ENOTFOUND 999.1.1.1", "'bodyLimit' option must be an
  // integer > 0", "PEM routines::no start line", "key values mismatch" — naming no variable; the key file: exit 1
  it.each([
    [
      'HOST=999.1.1.1',
      () => ({ HOST: '999.1.1.1' }),
      () => [configProblem('HOST', 'must be an IP address or a host name', '999.1.1.1')],
    ],
    [
      'BODY_LIMIT_BYTES=0',
      () => ({ BODY_LIMIT_BYTES: '0' }),
      () => [configProblem('BODY_LIMIT_BYTES', 'must be an integer from 1 to 67108864', '0')],
    ],
    [
      'a TLS certificate file that holds no certificate',
      () => ({ TLS_CERT_FILE: file('junk.pem'), TLS_KEY_FILE: file('key.pem') }),
      () => [configProblem('TLS_CERT_FILE', 'must hold a PEM certificate chain', file('junk.pem'))],
    ],
    [
      'a TLS key file that holds no key',
      () => ({ TLS_CERT_FILE: file('cert.pem'), TLS_KEY_FILE: file('junk.pem') }),
      () => [configProblem('TLS_KEY_FILE', 'must hold an unencrypted PEM private key', file('junk.pem'))],
    ],
    [
      'the two TLS files swapped',
      () => ({ TLS_CERT_FILE: file('key.pem'), TLS_KEY_FILE: file('cert.pem') }),
      () => [
        configProblem('TLS_CERT_FILE', 'must hold a PEM certificate chain', file('key.pem')),
        configProblem('TLS_KEY_FILE', 'must hold an unencrypted PEM private key', file('cert.pem')),
      ],
    ],
    [
      'a TLS key that is not the certificate’s',
      () => ({ TLS_CERT_FILE: file('cert.pem'), TLS_KEY_FILE: file('other-key.pem') }),
      () => [
        configProblem(
          'TLS_KEY_FILE',
          'must hold the private key of the TLS_CERT_FILE certificate',
          file('other-key.pem'),
        ),
      ],
    ],
    [
      'a TLS certificate without its key',
      () => ({ TLS_CERT_FILE: file('cert.pem') }),
      () => ['TLS_CERT_FILE and TLS_KEY_FILE must be set together'],
    ],
    [
      'a gateway signing key file that holds no key',
      () => ({ GATEWAY_SIGNING_KEY_FILE: file('junk.pem') }),
      () => [
        configProblem(
          'GATEWAY_SIGNING_KEY_FILE',
          'must hold an unencrypted PEM private key',
          file('junk.pem'),
        ),
      ],
    ],
    [
      'a gateway signing key that is not P-256',
      () => ({ GATEWAY_SIGNING_KEY_FILE: file('p384.pem') }),
      () => [
        configProblem(
          'GATEWAY_SIGNING_KEY_FILE',
          'must hold an EC P-256 private key (ES256)',
          file('p384.pem'),
        ),
      ],
    ],
  ])(
    '%s',
    async (label, env, problems) => {
      const run = await runWebBff(env());
      children.push(run.child);
      expect(await within(run.exited, 30_000)).toEqual({ code: 78, signal: null });
      // the configuration line, as at every start, also when building the app failed (before: none then); none for
      // a value loadConfig refuses itself (there is no configuration in effect to show: the report names the value)
      const configuration = configurationLines(run.stdout());
      if (REFUSED_BY_LOAD_CONFIG.has(label)) expect(configuration).toEqual([]);
      else {
        expect(configuration).toEqual([expect.objectContaining({ app: 'web-bff', level: 'info' })]);
        const shown = configuration[0]?.['configuration'] as Record<string, unknown>;
        for (const [name, value] of Object.entries(env())) expect(shown[name]).toEqual({ value, from: 'env' });
      }
      expect(run.stderr()).toBe(
        `Invalid configuration:\n${problems()
          .map((p) => `  - ${p}\n`)
          .join('')}`,
      );
      const output = run.stdout() + run.stderr();
      expect(output).not.toMatch(/SECRET-CONTENTS|BEGIN|^\s+at /m);
      expect(output).not.toContain('listening');
      expect(await accepts(run.port)).toBe(false);
    },
    40_000,
  );

  it('PORT already in use: one line naming the port, exit 1 (another process holds it; a restart may find it free)', async () => {
    const holder = createServer();
    holder.listen(0, '127.0.0.1');
    await once(holder, 'listening');
    const port = (holder.address() as { port: number }).port;
    try {
      const run = await runWebBff({}, port);
      children.push(run.child);
      expect(await within(run.exited, 30_000)).toEqual({ code: 1, signal: null });
      expect(run.stderr()).toBe(`web-bff could not start: port ${port} is already in use\n`);
      expect(run.stdout() + run.stderr()).not.toMatch(/^\s+at /m);
      // logged by the app before its listen failed, and written out before the exit
      expect(configurationLines(run.stdout())).toEqual([expect.objectContaining({ app: 'web-bff', level: 'info' })]);
    } finally {
      holder.close();
    }
  }, 40_000);

  it('TRUST_PROXY=0.0.0.0/0 (trust every address) starts, says so once, and believes X-Forwarded-For', async () => {
    const run = await runWebBff({ TRUST_PROXY: '0.0.0.0/0,::/0', LOG_LEVEL: 'info' });
    children.push(run.child);
    // before: exit 1, "invalid range on address: 0.0.0.0/0" (@fastify/proxy-addr refuses a /0)
    for (let i = 0; i < 120 && !(await accepts(run.port)); i++) {
      if (run.child.exitCode !== null)
        throw new Error(`web-bff exited early:\n${run.stdout()}${run.stderr()}`);
      await sleep(250);
    }
    expect(await get(run.port, '/health/live', { 'x-forwarded-for': '198.51.100.7' })).toBe(200);
    await sleep(1200); // the log is written in batches, at least every second
    const lines = run
      .stdout()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const warnings = lines.filter(
      (line) =>
        line['level'] === 'warn' && String(line['msg']).startsWith('TRUST_PROXY trusts every address'),
    );
    expect(warnings).toEqual([expect.objectContaining({ trustProxy: ['0.0.0.0/0', '::/0'] })]);
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: 'request', route: '/health/live', ip: '198.51.100.7', status: 200 }),
    );
    expect(run.stderr()).toBe('');
  }, 40_000);
});

describe('startupFailureOf', () => {
  const listen = { port: 3001, host: '192.0.2.1', shutdownDrainMs: 1000 };
  const failure = (code: string, message = `listen ${code}`) => Object.assign(new Error(message), { code });
  const report = (...problems: string[]) => new ConfigError(problems).message;

  it.each([
    [
      'a ConfigError from building the app',
      new ConfigError(['GATEWAY_SIGNING_KEY_FILE must x']),
      false,
      78,
      report('GATEWAY_SIGNING_KEY_FILE must x'),
    ],
    [
      'a StartupError (the TLS set-up)',
      new StartupError('TLS_CERT_FILE and TLS_KEY_FILE must be set together'),
      false,
      78,
      report('TLS_CERT_FILE and TLS_KEY_FILE must be set together'),
    ],
    [
      'EADDRNOTAVAIL while listening',
      failure('EADDRNOTAVAIL'),
      true,
      78,
      report('HOST must be an address of this machine (got "192.0.2.1")'),
    ],
    [
      'ENOTFOUND while listening',
      failure('ENOTFOUND'),
      true,
      78,
      report('HOST must be an IP address or a host name that resolves (got "192.0.2.1")'),
    ],
    [
      'EACCES while listening',
      failure('EACCES'),
      true,
      78,
      report(
        'PORT must be a port this process may listen on (ports below 1024 need privileges) (got "3001")',
      ),
    ],
    [
      'EADDRINUSE while listening',
      failure('EADDRINUSE'),
      true,
      1,
      't-bff could not start: port 3001 is already in use',
    ],
    [
      'a DNS failure of the moment (EAI_AGAIN)',
      failure('EAI_AGAIN', 'getaddrinfo EAI_AGAIN gw'),
      true,
      1,
      't-bff could not start: getaddrinfo EAI_AGAIN gw',
    ],
    [
      'EACCES while building the app (not the port)',
      failure('EACCES', 'open /x'),
      false,
      1,
      't-bff could not start: open /x',
    ],
    ['anything else', new Error('boom'), false, 1, 't-bff could not start: boom'],
  ])('%s', (_label, error, listening, exitCode, message) => {
    expect(startupFailureOf('t-bff', error, listen, listening)).toEqual({ exitCode, message });
  });
});
