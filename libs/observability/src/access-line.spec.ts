import pino, { type DestinationStream, type LoggerOptions as PinoOptions } from 'pino';
import { accessLineWriter, type AccessLine } from './access-line';
import { createLogger } from './logger';

/** A destination that keeps what it is given. */
function capture(): DestinationStream & { readonly lines: string[] } {
  const lines: string[] = [];
  return { lines, write: (line: string) => void lines.push(line) };
}

/** The time is the only part two writes of one line may differ in. */
const timeless = (line: string | undefined): string => (line ?? '').replace(/"time":\d+/, '"time":0');

const BASE: AccessLine = {
  reqId: '70cfc788-447d-4cf5-be0a-314a43d06b6c',
  traceId: 'd89216b8aa2e4028742b71aa23ad9716',
  method: 'GET',
  route: '/api/hr/employees/:id',
  path: '/api/hr/employees/E0001',
  ip: '127.0.0.1',
  status: 200,
  durationMs: 1.3,
  principal: 'user:u-1',
  upstreams: [{ upstream: 'hr', outcome: '2xx', status: 200, ms: 0.8 }],
  degraded: undefined,
};

describe('accessLineWriter: the bytes logger.info(line, "request") writes', () => {
  it.each<[string, Partial<AccessLine>]>([
    ['every field', { degraded: 'partial' }],
    ['a typical pass-through line', {}],
    [
      'no trace, no ip, anonymous, no upstream call',
      { traceId: undefined, ip: undefined, principal: undefined, upstreams: undefined },
    ],
    [
      'two upstream calls, one failed without a status',
      {
        upstreams: [
          { upstream: 'hr', outcome: '2xx', status: 200, ms: 1 },
          { upstream: 'payroll', outcome: 'timeout', ms: 800 },
        ],
      },
    ],
    [
      'quotes, backslashes and control characters in client-chosen strings',
      { path: '/a"b\\c\td\u0001e', method: 'PRO"PFIND', ip: '10.0.0.1\n', principal: 'user:"x"\\y' },
    ],
    [
      'non-ASCII and a path over 100 characters (pino switches to JSON.stringify there)',
      { path: `/é/${'x'.repeat(120)}/ü`, principal: 'user:Zoë ☃' },
    ],
    ['the client closed the request: 499 and a whole-millisecond duration', { status: 499, durationMs: 12 }],
    ['a duration that is not finite', { durationMs: Number.NaN }],
    ['an empty upstream list', { upstreams: [] }],
  ])('%s', (_name, change) => {
    const line: AccessLine = Object.assign({}, BASE, change);
    const destination = capture();
    const logger = createLogger({ app: 'web-bff', level: 'info', destination });
    logger.info(line, 'request');
    accessLineWriter(logger)(line);
    expect(destination.lines).toHaveLength(2);
    expect(timeless(destination.lines[1])).toBe(timeless(destination.lines[0]));
    expect(JSON.parse(destination.lines[1] as string)).toMatchObject({
      level: 'info',
      app: 'web-bff',
      msg: 'request',
      reqId: line.reqId,
    });
  });

  it("follows the logger's bindings and level labels (a child logger, numeric levels)", () => {
    const destination = capture();
    const logger = pino({ base: { app: 'mobile-bff', pid: 7 } }, destination).child({ part: 'door' });
    logger.info(BASE, 'request');
    accessLineWriter(logger)(BASE);
    expect(timeless(destination.lines[1])).toBe(timeless(destination.lines[0]));
    expect(destination.lines[1]).toMatch(
      /^\{"level":30,"time":\d+,"app":"mobile-bff","pid":7,"part":"door","reqId":/,
    );
  });

  // what the direct path cannot reproduce goes through pino: the lines stay the same whatever the logger's settings
  it.each<[string, PinoOptions]>([
    ['a mixin', { mixin: () => ({ region: 'eu' }) }],
    ['a redacted path on one of its keys', { redact: ['ip'] }],
    ["a wildcard redaction (an upstream call's status)", { redact: ['*[*].status'] }],
    ['formatters.log', { formatters: { log: (object) => Object.assign({ extra: 1 }, object) } }],
    ['a nested key', { nestedKey: 'payload' }],
    [
      'a logMethod hook',
      {
        hooks: {
          logMethod(args, method) {
            const [object, message] = args as unknown as [object, string];
            return method.call(this, Object.assign({ hooked: true }, object), message);
          },
        },
      },
    ],
    ['a serializer of one of its keys', { serializers: { path: (path: string) => path.toUpperCase() } }],
  ])('a logger with %s gets its line from pino', (_name, options) => {
    const destination = capture();
    const logger = pino(options, destination);
    logger.info(BASE, 'request');
    accessLineWriter(logger)(BASE);
    expect(timeless(destination.lines[1])).toBe(timeless(destination.lines[0]));
  });

  it('a child logger with a message prefix gets its line from pino', () => {
    const destination = capture();
    const logger = pino({}, destination).child({ part: 'door' }, { msgPrefix: '[door] ' });
    logger.info(BASE, 'request');
    accessLineWriter(logger)(BASE);
    expect(destination.lines[1]).toContain('"msg":"[door] request"');
    expect(timeless(destination.lines[1])).toBe(timeless(destination.lines[0]));
  });

  it('writes to the stream pino writes to once pino has replaced its write (a closed destination)', () => {
    const destination = capture();
    const logger = createLogger({ app: 'web-bff', level: 'info', destination });
    const write = accessLineWriter(logger);
    const later: string[] = [];
    destination.write = (line: string) => void later.push(line);
    write(BASE);
    expect(destination.lines).toHaveLength(0);
    expect(later).toHaveLength(1);
  });
});
