import { ProblemError, UpstreamError, isProblemError, isUpstreamError } from './problem.errors';
import { problemForStatus, toProblemDocument } from './problem-document';

describe('toProblemDocument', () => {
  it('renders a ProblemError with its catalogue status, title and headers', () => {
    const error = new ProblemError('rate-limited', 'Too many requests; retry later.', {
      headers: { 'Retry-After': '3' },
      extensions: { limit: 5, status: 999 },
    });
    expect(toProblemDocument(error, 'req-1', '/api/x')).toEqual({
      document: {
        type: 'urn:frontdoor:problem:rate-limited',
        title: 'Too Many Requests',
        status: 429,
        detail: 'Too many requests; retry later.',
        instance: '/api/x',
        requestId: 'req-1',
        limit: 5,
      },
      headers: { 'Retry-After': '3' },
    });
  });

  it.each([
    ['timeout', 504, 'upstream-timeout'],
    ['unavailable', 503, 'upstream-unavailable'],
    ['overloaded', 503, 'upstream-unavailable'],
    ['bad-response', 502, 'upstream-bad-response'],
  ] as const)('an upstream %s is %d %s', (failure, status, slug) => {
    const error = new UpstreamError('payroll', failure, 'payroll failed');
    expect(isUpstreamError(error)).toBe(true);
    expect(toProblemDocument(error, 'r', '/').document).toMatchObject({ status, type: `urn:frontdoor:problem:${slug}` });
  });

  it.each([
    ['a plain Error', new Error('connect ECONNREFUSED 10.1.2.3:5432 at Socket')],
    ['a string', 'boom'],
    ['null', null],
  ])('renders %s as a generic 500 that leaks nothing', (_label, thrown) => {
    const { document } = toProblemDocument(thrown, 'r', '/');
    expect(document.status).toBe(500);
    expect(JSON.stringify(document)).not.toMatch(/ECONNREFUSED|10\.1\.2\.3|Socket|boom/);
    expect(isProblemError(thrown)).toBe(false);
  });

  it.each([
    [404, 'not-found'],
    [413, 'payload-too-large'],
    [431, 'headers-too-large'],
    [408, 'request-timeout'],
    [417, 'expectation-failed'],
    [501, 'not-implemented'],
    [505, 'http-version-not-supported'],
    [418, 'bad-request'],
  ])('maps a bare framework status %d to %s', (status, slug) => {
    expect(problemForStatus(status, 'x', 'r', '/').type).toBe(`urn:frontdoor:problem:${slug}`);
    // RFC 9457 §3.1.3: the body's status is the answer's, for every status the gateway sends itself
    if (status !== 418) expect(problemForStatus(status, 'x', 'r', '/').status).toBe(status);
  });
});
