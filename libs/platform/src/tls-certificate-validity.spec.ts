import { captureLogs } from '@frontdoor/testing';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createBffApp } from './create-bff-app';
import { observedModule, testServer } from './testing/listen-app';

const DAY_MS = 86_400_000;
const Module = observedModule([]);

/** `openssl ca`'s date form (GeneralizedTime, UTC, whole seconds): 20260301120000Z. */
const opensslDate = (ms: number) => `${new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;

/** The start-up warnings about TLS_CERT_FILE's validity of an app built (not listening) on this certificate. */
async function certificateWarningsOf(cert: string, key: string): Promise<Record<string, unknown>[]> {
  const logs = captureLogs();
  const app = await createBffApp(Module, {
    app: 't',
    server: testServer({ logLevel: 'info', tlsCertFile: cert, tlsKeyFile: key }),
    logDestination: logs.stream,
  });
  try {
    await sleep(100); // a line to come would have come by now
    return logs.lines().filter((line) => String(line['msg']).startsWith("TLS_CERT_FILE's "));
  } finally {
    await app.nest.close();
  }
}

describe('a TLS certificate not valid now or expiring within 14 days: one warning at start, not a refusal', () => {
  let dir: string;
  const file = (name: string) => join(dir, name);
  /** A self-signed certificate (and its key) valid for `days` from now: `openssl req -x509 -days`. */
  const forDays = (name: string, days: number) => {
    const args = [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      String(days),
    ];
    execFileSync(
      'openssl',
      [...args, '-subj', '/CN=localhost', '-keyout', file(`${name}.key`), '-out', file(`${name}.pem`)],
      { stdio: 'ignore' },
    );
  };
  /** A P-256 key (`<name>.key`) and a certificate request for `subject` (`<name>.csr`, returned). */
  const keyAndRequest = (name: string, subject: string): string => {
    const csr = file(`${name}.csr`);
    const request = [
      'req',
      '-new',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-subj',
      subject,
    ];
    execFileSync('openssl', [...request, '-keyout', file(`${name}.key`), '-out', csr], { stdio: 'ignore' });
    return csr;
  };
  /**
   * A self-signed certificate valid from `start` to `end`: OpenSSL 3.0's `req`/`x509` set no start date
   * (`-not_before` came in 3.4); `ca -selfsign -startdate -enddate` does, with a throw-away CA database.
   */
  const between = (name: string, start: number, end: number) => {
    const csr = keyAndRequest(name, '/CN=localhost');
    const dates = ['-startdate', opensslDate(start), '-enddate', opensslDate(end)];
    const ca = [
      'ca',
      '-batch',
      '-notext',
      '-config',
      file('ca.cnf'),
      '-selfsign',
      '-keyfile',
      file(`${name}.key`),
      '-in',
      csr,
    ];
    execFileSync('openssl', [...ca, ...dates, '-out', file(`${name}.pem`)], { stdio: 'ignore' });
  };

  /** A certificate for `subject` valid `days` from now, signed by `issuer`'s key (`openssl x509 -req -CA`). */
  const signed = (name: string, subject: string, issuer: string, days: number, ca: boolean) => {
    const csr = keyAndRequest(name, subject);
    writeFileSync(
      file(`${name}.ext`),
      ca ? 'basicConstraints=critical,CA:TRUE\n' : 'basicConstraints=CA:FALSE\n',
    );
    const issue = ['x509', '-req', '-in', csr, '-CA', file(`${issuer}.pem`), '-CAkey', file(`${issuer}.key`)];
    const options = [
      '-CAcreateserial',
      '-days',
      String(days),
      '-extfile',
      file(`${name}.ext`),
      '-out',
      file(`${name}.pem`),
    ];
    execFileSync('openssl', [...issue, ...options], { stdio: 'ignore' });
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'frontdoor-cert-validity-'));
    writeFileSync(file('index.txt'), '');
    writeFileSync(file('serial'), '01\n');
    const config = [
      '[ca]',
      'default_ca = throwaway',
      '[throwaway]',
      `database = ${file('index.txt')}`,
      `new_certs_dir = ${dir}`,
      `serial = ${file('serial')}`,
      'default_md = sha256',
      'policy = any',
      'unique_subject = no',
      '[any]',
      'commonName = supplied',
    ];
    writeFileSync(file('ca.cnf'), `${config.join('\n')}\n`);
    const now = Date.now();
    forDays('month', 30);
    forDays('ten-days', 10);
    between('expired', now - 60 * DAY_MS, now - 3 * DAY_MS);
    between('not-yet', now + 5 * DAY_MS, now + 400 * DAY_MS);
    // chains: a leaf valid 300 days, signed by an intermediate that expires first (or has expired), sent with it
    forDays('root', 3650);
    signed('intermediate-10', '/CN=Test Intermediate', 'root', 10, true);
    signed('leaf-300', '/CN=localhost', 'intermediate-10', 300, false);
    writeFileSync(
      file('chain-10.pem'),
      readFileSync(file('leaf-300.pem'), 'latin1') + readFileSync(file('intermediate-10.pem'), 'latin1'),
    );
    signed('intermediate-400', '/CN=Test Intermediate', 'root', 400, true);
    signed('leaf-200', '/CN=localhost', 'intermediate-400', 200, false);
    const chain = ['leaf-200', 'intermediate-400', 'root'].map((name) =>
      readFileSync(file(`${name}.pem`), 'latin1'),
    );
    writeFileSync(file('chain-fine.pem'), chain.join(''));
    between('intermediate-expired', now - 60 * DAY_MS, now - 3 * DAY_MS);
    signed('leaf-under-expired', '/CN=localhost', 'intermediate-expired', 300, false);
    const expired = ['leaf-under-expired', 'intermediate-expired'].map((name) =>
      readFileSync(file(`${name}.pem`), 'latin1'),
    );
    writeFileSync(file('chain-expired.pem'), expired.join(''));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a chain whose intermediate expires in 10 days, its leaf in 300: one warning, naming that certificate', async () => {
    const warnings = await certificateWarningsOf(file('chain-10.pem'), file('leaf-300.key'));
    expect(warnings).toEqual([
      expect.objectContaining({
        level: 'warn',
        tlsCertFile: file('chain-10.pem'),
        subject: 'CN=Test Intermediate',
        daysLeft: 9,
        msg: expect.stringMatching(
          /^TLS_CERT_FILE's chain certificate 2 of 2 \(CN=Test Intermediate\) expires on \S+Z \(9 days left\): renew it before clients refuse it$/,
        ),
      }),
    ]);
  });

  it('a chain whose intermediate expired: warns that it expired', async () => {
    const warnings = await certificateWarningsOf(file('chain-expired.pem'), file('leaf-under-expired.key'));
    expect(warnings).toEqual([
      expect.objectContaining({
        subject: 'CN=localhost',
        daysLeft: -3,
        msg: expect.stringMatching(
          /^TLS_CERT_FILE's chain certificate 2 of 2 \(CN=localhost\) expired on \S+Z \(3 days ago\)/,
        ),
      }),
    ]);
  });

  it('a chain valid 200 days and more, root included: no warning', async () => {
    expect(await certificateWarningsOf(file('chain-fine.pem'), file('leaf-200.key'))).toEqual([]);
  });

  it('30 days left: no warning', async () => {
    expect(await certificateWarningsOf(file('month.pem'), file('month.key'))).toEqual([]);
  });

  it('10 days left: warns, naming TLS_CERT_FILE, the expiry date and the days left', async () => {
    const warnings = await certificateWarningsOf(file('ten-days.pem'), file('ten-days.key'));
    expect(warnings).toEqual([
      expect.objectContaining({
        level: 'warn',
        tlsCertFile: file('ten-days.pem'),
        validTo: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        daysLeft: 9,
        msg: expect.stringMatching(
          /^TLS_CERT_FILE's certificate expires on \d{4}-\d\d-\d\dT\S+Z \(9 days left\): renew it before clients refuse it$/,
        ),
      }),
    ]);
    expect(String(warnings[0]?.['msg'])).toContain(String(warnings[0]?.['validTo']));
  });

  it('expired 3 days ago: warns that it expired, and the app still starts', async () => {
    const warnings = await certificateWarningsOf(file('expired.pem'), file('expired.key'));
    expect(warnings).toEqual([
      expect.objectContaining({
        level: 'warn',
        tlsCertFile: file('expired.pem'),
        daysLeft: -3,
        msg: expect.stringMatching(
          /^TLS_CERT_FILE's certificate expired on \S+Z \(3 days ago\): clients that verify it refuse every connection; renew it$/,
        ),
      }),
    ]);
  });

  it('not valid for 5 days yet: warns with its start and expiry dates', async () => {
    const warnings = await certificateWarningsOf(file('not-yet.pem'), file('not-yet.key'));
    expect(warnings).toEqual([
      expect.objectContaining({
        level: 'warn',
        tlsCertFile: file('not-yet.pem'),
        validFrom: expect.stringMatching(/^\d{4}-/),
        daysLeft: 399,
        msg: expect.stringMatching(
          /^TLS_CERT_FILE's certificate is not valid before \S+Z, expires on \S+Z \(399 days left\): clients that verify it refuse it until then/,
        ),
      }),
    ]);
  });
});
