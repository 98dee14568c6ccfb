import { execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import { constants as h2constants, connect as http2Connect, type ClientHttp2Session, type IncomingHttpHeaders } from 'node:http2';
import { request as httpsRequest } from 'node:https';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_IDS, estateEnv, startDemoEstate, type DemoEstate } from '@frontdoor/demo-estate';
import { startStub, type Stub } from '@frontdoor/testing';
import { startWebBffProcess } from './web-test-app';

/** SHUTDOWN_DRAIN_MS of the child: short, so that even a drain held open to its deadline keeps the spec under 10 s. */
const DRAIN_MS = 3000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `promise`, or `fallback` after `ms`: every wait of this spec is bounded. */
function within<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise<T>((resolve) => (timer = setTimeout(() => resolve(fallback), ms)))]).finally(() => clearTimeout(timer));
}

/** What became of one HTTP/2 stream: its answer, or the error that ended it. */
interface StreamOutcome {
  status?: number;
  headers?: IncomingHttpHeaders;
  body: string;
  error?: string;
  rstCode?: number;
}

function h2get(session: ClientHttp2Session, path: string, headers: Record<string, string> = {}): Promise<StreamOutcome> {
  return new Promise((resolve) => {
    const outcome: StreamOutcome = { body: '' };
    let stream: ReturnType<ClientHttp2Session['request']>;
    try {
      stream = session.request({ ':path': path, ...headers });
    } catch (error) {
      // ERR_HTTP2_GOAWAY_SESSION: the client got the server's GOAWAY and opens no new stream on this session
      return resolve({ ...outcome, error: (error as { code?: string }).code ?? String(error) });
    }
    stream.on('response', (h) => {
      outcome.status = Number(h[':status']);
      outcome.headers = h;
    });
    stream.on('data', (d: Buffer) => (outcome.body += d.toString()));
    stream.on('error', (e: Error & { code?: string }) => (outcome.error = e.code ?? e.message));
    stream.on('close', () => resolve({ ...outcome, rstCode: stream.rstCode }));
  });
}

/** HTTP/1.1 over TLS (`allowHTTP1`): only to poll liveness while the child starts. */
function isLive(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    httpsRequest({ host: '127.0.0.1', port, path: '/health/live', rejectUnauthorized: false, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    })
      .on('error', () => resolve(false))
      .end();
  });
}

/** Whether a new TCP connection is refused: the listener is closed, which runBff does only once draining started. */
function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve(false);
    });
    socket.setTimeout(500, () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', (e: Error & { code?: string }) => resolve(e.code === 'ECONNREFUSED'));
  });
}

/** Passes a request on to `target` (the real hr) and its answer back. */
function forward(target: string, req: IncomingMessage, res: ServerResponse): void {
  const { hostname, port, host } = new URL(target);
  const out = request({ host: hostname, port, method: req.method, path: req.url, headers: { ...req.headers, host } }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  out.on('error', () => res.destroy());
  out.end();
}

/** What the client and the process did, in ms since SIGTERM. */
interface Observed {
  drainSeenMs: number;
  newStream: StreamOutcome;
  newStreamTookMs: number;
  inFlight: StreamOutcome;
  inFlightAnsweredMs: number;
  goaway?: { errorCode: number; lastStreamId: number; atMs: number };
  sessionClosedMs?: number;
  exitCode?: number | null;
  exitedMs?: number;
}

/**
 * Graceful shutdown of the real process over HTTP/2 (TLS, `HTTP2=true`): the same SIGTERM path as the HTTP/1
 * lifecycle spec, with one kept-alive HTTP/2 session carrying a slow request, as a browser or a load balancer's
 * HTTP/2 pool holds it. The scenario runs once (beforeAll, bounded); each `it` checks one promise of the drain.
 */
describe('web-bff graceful shutdown over HTTP/2 (a real process)', () => {
  let dir: string | undefined;
  let estate: DemoEstate | undefined;
  let hr: Stub | undefined;
  let child: ChildProcess | undefined;
  let session: ClientHttp2Session | undefined;
  let letGo: () => void = () => undefined;
  let output: () => string = () => '';
  let observed: Observed;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'frontdoor-tls-'));
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
    const demo = (estate = await startDemoEstate());
    // hr behind a gate: `/employees/…` calls wait until the test lets them go, so a request is provably in flight
    // while the drain starts (no timing guess); everything else passes at once
    const gate = new Promise<void>((r) => (letGo = r));
    hr = await startStub((req, res) => {
      if (req.url?.startsWith('/employees/')) void gate.then(() => forward(demo.urls.hr, req, res));
      else forward(demo.urls.hr, req, res);
    });
    const started = await startWebBffProcess(
      {
        ...estateEnv(demo),
        UPSTREAM_HR_URL: hr.url,
        LOG_LEVEL: 'info',
        TLS_CERT_FILE: cert,
        TLS_KEY_FILE: key,
        HTTP2: 'true',
        SHUTDOWN_DRAIN_MS: String(DRAIN_MS),
        ROUTE_DEADLINE_MS: '6000', // the held hr call must not time out before the test lets it go
      },
      isLive,
    );
    const { port, child: proc } = started;
    child = proc;
    output = started.output;

    const token = await demo.issueToken({ sub: 'drain-h2-test', roles: ['hr'] });
    const h2 = (session = http2Connect(`https://127.0.0.1:${port}`, { ca: readFileSync(cert) }));
    h2.on('error', () => undefined); // read from the streams and the events below
    const warmUp = await within(h2get(h2, '/health/live'), 3000, { body: '', error: 'no answer within 3 s' });
    if (warmUp.status !== 200) throw new Error(`no HTTP/2 answer before the drain: ${JSON.stringify(warmUp)}\n${output()}`);

    const inFlight = h2get(h2, `/api/employees/${DEMO_IDS.employee}`, { authorization: `Bearer ${token}` });
    for (let i = 0; i < 150 && hr.requests.filter((r) => r.path.startsWith('/employees/')).length < 1; i++) await sleep(20);
    if (hr.inFlight() !== 1) throw new Error(`the slow request is not held at hr (${hr.inFlight()} in flight)\n${output()}`);

    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    const sigterm = Date.now();
    const since = () => Date.now() - sigterm;
    const seen: Partial<Observed> = {};
    h2.once('goaway', (errorCode: number, lastStreamId: number) => (seen.goaway = { errorCode, lastStreamId, atMs: since() }));
    h2.once('close', () => (seen.sessionClosedMs = since()));
    void exited.then((code) => {
      seen.exitCode = code;
      seen.exitedMs = since();
    });
    proc.kill('SIGTERM');
    // draining has started once the listener refuses connections (the logs are buffered: no use waiting for a line)
    let refused = false;
    for (let i = 0; i < 100 && !(refused = await refusesConnections(port)); i++) await sleep(10);
    seen.drainSeenMs = since();
    if (!refused) throw new Error(`the listener still accepts connections ${seen.drainSeenMs} ms after SIGTERM\n${output()}`);

    const opened = Date.now();
    seen.newStream = await within(h2get(h2, '/health/live'), 2000, { body: '', error: 'no answer within 2 s' });
    seen.newStreamTookMs = Date.now() - opened;
    letGo();
    seen.inFlight = await within(inFlight, 3000, { body: '', error: 'no answer within 3 s' });
    seen.inFlightAnsweredMs = since();
    // the session and the process end by themselves, or at the drain deadline (exit 1) at the latest
    await within(exited, DRAIN_MS + 1500, null);
    await within(new Promise<void>((r) => (h2.closed ? r() : h2.once('close', () => r()))), 500, undefined);
    observed = seen as Observed;
  }, 30_000);

  afterAll(async () => {
    letGo();
    session?.destroy();
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await hr?.close();
    await estate?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('finishes the request in flight at SIGTERM: its 200 and body arrive on the same HTTP/2 session', () => {
    const { inFlight } = observed;
    expect(inFlight.error).toBeUndefined();
    expect(inFlight.rstCode).toBe(h2constants.NGHTTP2_NO_ERROR); // not reset by the server
    expect(inFlight.status).toBe(200);
    expect(inFlight.headers?.['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(inFlight.body)).toMatchObject({ id: DEMO_IDS.employee });
  });

  // runBff sends every HTTP/2 session a GOAWAY (NO_ERROR) when draining starts, before the listener closes; the spec
  // opens the new stream only once the listener refuses connections, so the GOAWAY is already on its way: the client
  // either has it (session.request throws ERR_HTTP2_GOAWAY_SESSION) or its stream crosses it and the server refuses
  // the stream (REFUSED_STREAM, safe to retry elsewhere). Either way no request is started, and nothing hangs.
  it('refuses a new stream on that session, opened while draining: GOAWAY, not a request started', () => {
    const { newStream } = observed;
    expect(observed.goaway).toMatchObject({ errorCode: h2constants.NGHTTP2_NO_ERROR });
    expect(observed.goaway?.lastStreamId).toBeLessThan(5); // the warm-up (1) and the request in flight (3) only
    expect(newStream.status).toBeUndefined();
    const refused = newStream.error === 'ERR_HTTP2_GOAWAY_SESSION' || newStream.rstCode === h2constants.NGHTTP2_REFUSED_STREAM;
    expect({ refused, newStream }).toMatchObject({ refused: true });
    expect(observed.newStreamTookMs).toBeLessThan(1000); // refused at once, not held until the drain ends
  });

  it('ends by the drain deadline at the latest (SHUTDOWN_DRAIN_MS bounds the shutdown)', () => {
    expect(observed.exitedMs).toBeDefined();
    expect(observed.exitedMs).toBeLessThan(DRAIN_MS + 1000);
    expect(observed.sessionClosedMs).toBeDefined(); // the session ends with the process at the latest
  });

  // Before the fix, nothing closed a kept-alive HTTP/2 session: it held `server.close()`, hence `nest.close()`, open
  // until SHUTDOWN_DRAIN_MS, and the process exited 1 ("did not drain within").
  it('closes the kept-alive HTTP/2 session itself (GOAWAY, NO_ERROR) once the accepted requests are answered', () => {
    expect(observed.goaway).toMatchObject({ errorCode: h2constants.NGHTTP2_NO_ERROR });
    expect(observed.sessionClosedMs).toBeLessThan(observed.inFlightAnsweredMs + 1000);
  });

  it('exits 0 promptly once the accepted requests are answered, well within SHUTDOWN_DRAIN_MS', () => {
    expect(observed.exitCode).toBe(0);
    expect(observed.exitedMs).toBeLessThan(observed.inFlightAnsweredMs + 1500);
    expect(output()).toMatch(/web-bff stopped/);
  });
});
