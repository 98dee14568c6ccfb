import {
  UPSTREAM_BODY_MARKER,
  closedPort,
  faults,
  startStub,
  type Stub,
  type StubHandler,
} from '@frontdoor/testing';
import { isAuthFailure } from '../auth.errors';
import { JwksCache, type JwksFetchFailure } from './jwks.cache';

/**
 * Why a JWKS fetch failed, as the metrics (`onFetchFailure`) and the logged cause of the 503 name it: one reason of
 * a fixed set per failed fetch, never the URL (it may carry credentials) nor the document. A real provider stub on
 * 127.0.0.1 answering each way a provider can fail.
 */
describe('JwksCache fetch failures', () => {
  let stub: Stub;
  let answer: StubHandler;
  let clock: number;

  beforeAll(async () => (stub = await startStub((req, res, body) => answer(req, res, body))));
  afterAll(() => stub.close());
  beforeEach(() => (clock = 1_000_000));

  /** A cache of `url` (the stub's by default, a secret in its query) whose failures are recorded. */
  function observedCache(url = `http://127.0.0.1:${stub.port}/jwks.json?access_token=s3cret`) {
    const jwks = new JwksCache({
      url: new URL(url),
      cooldownMs: 1000,
      timeoutMs: 200,
      maxBytes: 1024,
      now: () => clock,
    });
    const reasons: JwksFetchFailure[] = [];
    jwks.onFetchFailure((reason) => reasons.push(reason));
    return { jwks, reasons };
  }

  async function refusalOf(jwks: JwksCache): Promise<string> {
    try {
      await jwks.keyFor('kid-1', 'RS256');
      return 'resolved';
    } catch (error) {
      return isAuthFailure(error) ? `${error.kind}: ${error.message}` : `unexpected ${String(error)}`;
    }
  }

  const secretBody = `{"error":"${UPSTREAM_BODY_MARKER}"}`;

  it.each<[string, JwksFetchFailure, StubHandler, string]>([
    ['answers no whole document within the timeout', 'timeout', faults.hang(), 'reason: timeout'],
    ['answers 500', 'status', faults.text(500, 'application/json', secretBody), 'reason: status, HTTP 500'],
    ['answers 404', 'status', faults.status(404), 'reason: status, HTTP 404'],
    [
      'redirects (never followed)',
      'status',
      faults.redirect('http://127.0.0.1:9/elsewhere'),
      'reason: status, HTTP 302',
    ],
    [
      'answers garbage',
      'bad-document',
      faults.text(200, 'application/json', `{${UPSTREAM_BODY_MARKER}`),
      'reason: bad-document',
    ],
    [
      'answers JSON without a keys array',
      'bad-document',
      faults.json(200, { error: UPSTREAM_BODY_MARKER }),
      'reason: bad-document',
    ],
    [
      'answers JSON null',
      'bad-document',
      faults.text(200, 'application/json', 'null'),
      'reason: bad-document',
    ],
    [
      'answers a document over maxBytes',
      'bad-document',
      faults.json(200, { keys: [], pad: 'x'.repeat(2048) }),
      'reason: bad-document',
    ],
  ])(
    'a provider that %s: one failure, reason %s, named in the 503 cause',
    async (_label, reason, handler, named) => {
      answer = handler;
      const { jwks, reasons } = observedCache();
      const refusal = await refusalOf(jwks);
      expect(refusal).toBe(`unavailable: the JWKS could not be fetched (${named}) and the key is not cached`);
      expect(refusal).not.toMatch(
        new RegExp(`s3cret|access_token|127\\.0\\.0\\.1|${stub.port}|${UPSTREAM_BODY_MARKER}`),
      );
      expect(await refusalOf(jwks)).toBe(refusal); // within the cooldown: no second fetch, no second failure
      expect(reasons).toEqual([reason]);
    },
  );

  it('a provider that streams without end is cut at maxBytes, not read until the deadline', async () => {
    let sent = 0;
    let stopped: () => void = () => undefined;
    const cut = new Promise<void>((resolve) => (stopped = resolve));
    answer = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }); // chunked: no Content-Length to refuse it by
      res.write('{"keys":[],"pad":"');
      const timer = setInterval(() => {
        if (res.destroyed || sent > 64 * 1024 * 1024) return; // bounded, whatever happens
        sent += 16 * 1024;
        res.write('x'.repeat(16 * 1024));
      }, 1);
      res.on('close', () => {
        clearInterval(timer);
        stopped();
      });
    };
    const { jwks, reasons } = observedCache(); // maxBytes 1024, timeout 200 ms
    expect(await refusalOf(jwks)).toBe(
      'unavailable: the JWKS could not be fetched (reason: bad-document) and the key is not cached',
    );
    expect(reasons).toEqual(['bad-document']); // not 'timeout': the read stopped at the cap
    await cut; // the gateway closed the connection
    expect(sent).toBeLessThan(1024 * 1024);
  });

  it('a declared Content-Length over maxBytes is refused unread', async () => {
    answer = faults.text(200, 'application/json', `{"keys":[],"pad":"${'x'.repeat(4096)}"}`);
    const { jwks, reasons } = observedCache();
    expect(await refusalOf(jwks)).toMatch(/\(reason: bad-document\)/);
    expect(reasons).toEqual(['bad-document']);
  });

  it('an unreachable provider is a network failure', async () => {
    const { jwks, reasons } = observedCache(`http://127.0.0.1:${await closedPort()}/jwks.json`);
    expect(await refusalOf(jwks)).toBe(
      'unavailable: the JWKS could not be fetched (reason: network) and the key is not cached',
    );
    expect(reasons).toEqual(['network']);
  });

  it('a good document counts no failure and clears the reason; each failed refetch counts once', async () => {
    const { jwks, reasons } = observedCache();
    answer = faults.json(200, { keys: [] });
    expect(await refusalOf(jwks)).toBe('invalid: no key with this kid');
    clock += 1000;
    answer = faults.status(503);
    expect(await refusalOf(jwks)).toMatch(/^unavailable: .*\(reason: status, HTTP 503\)/);
    clock += 1000;
    answer = faults.status(502);
    await refusalOf(jwks);
    expect(reasons).toEqual(['status', 'status']);
  });

  it('a listener that throws changes nothing for the request: still unavailable (503), not an error (500)', async () => {
    answer = faults.status(500);
    const { jwks } = observedCache();
    jwks.onFetchFailure(() => {
      throw new Error('a broken metric');
    });
    expect(await refusalOf(jwks)).toMatch(/^unavailable: /);
  });
});
