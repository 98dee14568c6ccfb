#!/usr/bin/env node
// Reproduction (load-and-fault finding 1): a BFF draining on SIGTERM waits for idle keep-alive connections of requests
// that were in flight at the signal. One slow request (hr 1 s) on a keep-alive connection, SIGTERM 200 ms in: the
// answer comes with `Connection: keep-alive`, and the process exits only when the client or the server's keep-alive
// timeout closes the socket — past SHUTDOWN_DRAIN_MS (exit 1) when that is shorter. Fixed: exit 0 right after the answer.
// usage: node tools/load-fault/repro/drain-keepalive.mjs [SHUTDOWN_DRAIN_MS, default 4000]
import http from 'node:http';
import { sleep } from '../../replicas/lib/http.mjs';
import { stopAll } from '../../replicas/lib/processes.mjs';
import { setFault, startBff, startEstate } from './common.mjs';

try {
  const credentials = await startEstate();
  const drainMs = process.argv[2] ?? '4000';
  const bff = await startBff('web-bff', { SHUTDOWN_DRAIN_MS: drainMs, ROUTE_DEADLINE_MS: '1500' });
  await setFault(4002, { latencyMs: 1000 });
  const agent = new http.Agent({ keepAlive: true }); // like nginx's upstream keepalive pool: idle sockets stay open
  const t0 = Date.now();
  const answer = new Promise((resolve) =>
    http.get({ host: '127.0.0.1', port: bff.port, path: '/api/employees/E0001', agent, headers: { authorization: `Bearer ${credentials.tokens.finance}` } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, connection: res.headers.connection, atMs: Date.now() - t0 }));
    }),
  );
  await sleep(200);
  bff.proc.child.kill('SIGTERM');
  const a = await answer;
  const exit = await bff.proc.exited;
  const exitMs = Date.now() - t0;
  console.log(`SHUTDOWN_DRAIN_MS=${drainMs}: in-flight answer ${a.status} (Connection: ${a.connection}) at ${a.atMs} ms; process exit code ${exit.code} at ${exitMs} ms, ${exitMs - a.atMs} ms after the answer`);
  console.log(exit.code === 0 && exitMs - a.atMs < 1000 ? 'OK: drained promptly' : 'BUG: the drain waited for an idle keep-alive connection');
  agent.destroy();
  process.exitCode = exit.code === 0 && exitMs - a.atMs < 1000 ? 0 : 1;
} finally {
  await stopAll();
}
