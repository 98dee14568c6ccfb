// The outcome ledger: one entry per request id the run generated, written exactly once when the request ends (an
// HTTP answer or a transport error). Times are milliseconds since the load started.
import http from 'node:http';

export class Ledger {
  constructor(runId) {
    this.runId = runId;
    this.seq = 0;
    this.entries = new Map();
    this.doubleRecords = [];
    this.t0 = performance.now();
  }

  now() {
    return performance.now() - this.t0;
  }

  /** A new id (the `X-Request-Id` the tool sends) and its entry, pending until {@link record}. */
  open(fields) {
    const id = `lf-${this.runId}-${(++this.seq).toString(36)}`;
    this.entries.set(id, { id, ...fields, sentAt: this.now(), pending: true });
    return id;
  }

  record(id, outcome) {
    const entry = this.entries.get(id);
    if (!entry || !entry.pending) return void this.doubleRecords.push(id);
    Object.assign(entry, outcome, { pending: false, endedAt: this.now() });
    entry.ms = entry.endedAt - entry.sentAt;
  }

  pendingCount() {
    let n = 0;
    for (const e of this.entries.values()) if (e.pending) n += 1;
    return n;
  }

  all() {
    return [...this.entries.values()];
  }
}

/**
 * One keep-alive agent per replica, behaving like a load balancer's upstream pool (nginx keeps idle upstream
 * connections 60 s): idle sockets stay open until the server's own `Keep-Alive: timeout=…` hint (Node closes them one
 * second before it, so a reused socket never races the server's close).
 */
export const agentFor = () => new http.Agent({ keepAlive: true, maxSockets: 32, timeout: 60_000 });

/**
 * Sends one request with a fresh id and records its outcome: status, the echoed X-Request-Id, content type, the
 * problem's requestId for errors, X-Degraded — or a transport error kind (ECONNREFUSED, ECONNRESET, client-timeout).
 */
export function send(ledger, { replica, agent, method = 'GET', path, headers = {}, body, timeoutMs, meta }) {
  const id = ledger.open({ app: replica.app, replica: replica.name, instance: replica.proc?.child.pid, method, path, ...meta });
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve) => {
    let done = false;
    const finish = (outcome) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      ledger.record(id, outcome);
      resolve(ledger.entries.get(id));
    };
    const req = http.request(
      {
        host: '127.0.0.1',
        port: replica.port,
        method,
        path,
        agent,
        headers: {
          'x-request-id': id,
          ...headers,
          ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
        },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('error', (error) => finish({ error: error.code ?? error.message }));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const type = String(res.headers['content-type'] ?? '');
          let problem;
          if (res.statusCode >= 400 && type.includes('json')) {
            try {
              problem = JSON.parse(text);
            } catch {
              problem = { unparsable: true };
            }
          }
          finish({
            status: res.statusCode,
            echoedId: res.headers['x-request-id'],
            contentType: type,
            problemRequestId: problem?.requestId,
            problemStatus: problem?.status,
            problemDetail: problem?.detail,
            degraded: res.headers['x-degraded'],
            replayed: res.headers['idempotent-replayed'] === 'true',
            etag: res.headers.etag,
            retryAfter: res.headers['retry-after'],
            body: res.statusCode < 300 && meta?.keepBody ? text : undefined,
          });
        });
      },
    );
    const timer = setTimeout(() => {
      finish({ error: 'client-timeout' });
      req.destroy();
    }, timeoutMs);
    req.on('error', (error) => finish({ error: error.code ?? error.message }));
    req.end(payload);
  });
}
