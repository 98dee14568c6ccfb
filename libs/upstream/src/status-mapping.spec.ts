import { isProblemError, isUpstreamError } from '@frontdoor/errors';
import { problemForUpstreamStatus, retryAfterFrom } from './status-mapping';

const response = (status: number, headers: Record<string, string | string[]> = {}) => ({
  status,
  headers,
  body: Buffer.from('{"secret":"upstream body"}'),
});

describe('problemForUpstreamStatus', () => {
  it.each([200, 201, 204, 299])('passes %d through', (status) => {
    expect(problemForUpstreamStatus('payroll', response(status))).toBeUndefined();
  });

  it.each([
    [301, 502, 'upstream-bad-response', 'payroll answered with a redirect'],
    [302, 502, 'upstream-bad-response', 'payroll answered with a redirect'],
    [304, 502, 'upstream-bad-response', 'payroll answered with a redirect'],
    [400, 400, 'bad-request', 'payroll rejected the request'],
    [401, 502, 'upstream-bad-response', 'payroll answered with an unexpected status'],
    [403, 502, 'upstream-bad-response', 'payroll answered with an unexpected status'],
    [404, 404, 'not-found', 'payroll has no such resource'],
    [409, 409, 'conflict', 'payroll rejected the request'],
    [410, 502, 'upstream-bad-response', 'payroll answered with an unexpected status'],
    [422, 422, 'unprocessable-content', 'payroll rejected the request'],
    [429, 503, 'upstream-unavailable', 'payroll is overloaded'],
    [500, 502, 'upstream-bad-response', 'payroll answered with an error'],
    [502, 502, 'upstream-bad-response', 'payroll answered with an error'],
    [503, 503, 'upstream-unavailable', 'payroll is overloaded'],
    [504, 502, 'upstream-bad-response', 'payroll answered with an error'],
  ])('maps %d to %d %s without the upstream body', (status, expected, slug, detail) => {
    const problem = problemForUpstreamStatus('payroll', response(status));
    expect(isProblemError(problem)).toBe(true);
    expect(problem).toMatchObject({ status: expected, slug, detail });
    expect(
      JSON.stringify({ detail: problem?.detail, message: problem?.message, ext: problem?.extensions }),
    ).not.toContain('upstream body');
  });

  it.each([
    [429, {}, '1'],
    [503, { 'retry-after': '7' }, '7'],
    [429, { 'retry-after': '120' }, '120'],
  ])('an overloaded %d carries Retry-After %s', (status, headers, expected) => {
    const problem = problemForUpstreamStatus('sales', response(status, headers));
    expect(isUpstreamError(problem) && problem.failure).toBe('overloaded');
    expect(problem?.headers).toEqual({ 'Retry-After': expected });
  });
});

describe('retryAfterFrom', () => {
  it.each([
    ['7', '7'],
    [' 30 ', '30'],
    ['3600', '3600'],
    ['3601', '1'],
    ['0', '1'],
    ['-5', '1'],
    ['1.5', '1'],
    ['99999999999', '1'],
    ['Wed, 21 Oct 2026 07:28:00 GMT', '1'],
    ['', '1'],
    [undefined, '1'],
    [['5', '6'], '1'],
  ])('%j → %s', (value, expected) => {
    expect(retryAfterFrom(value)).toBe(expected);
  });
});
