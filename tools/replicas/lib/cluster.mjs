// Two replicas of each BFF from its built bundle, on free ports of 127.0.0.1, sharing one Redis.
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exitOf, freePort, logTail, startProcess } from './processes.mjs';
import { request, waitFor } from './http.mjs';

export const BFF_APPS = ['web-bff', 'mobile-bff', 'partner-bff'];

/** Users get a small per-second limit here, so that a burst proving the shared limit stays small. */
export const USER_RPS = 10;

/** One signing key per app, shared by its replicas (GATEWAY_SIGNING_KEY_FILE), as in docker/ and deploy/k8s/. */
function writeSigningKey(app, dir) {
  const file = join(dir, `${app}.pem`);
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  return file;
}

export async function planReplicas({ logDir }) {
  const replicas = {};
  for (const app of BFF_APPS) {
    const keyFile = writeSigningKey(app, logDir);
    replicas[app] = [];
    for (const id of ['a', 'b']) {
      const port = await freePort();
      replicas[app].push({
        app,
        id,
        name: `${app}-${id}`,
        port,
        url: `http://127.0.0.1:${port}`,
        keyFile,
        proc: undefined,
      });
    }
  }
  return replicas;
}

export function startReplica(replica, { root, logDir, redisPort }) {
  replica.proc = startProcess({
    name: replica.name,
    command: process.execPath,
    args: [join(root, `dist/apps/${replica.app}/main.js`)],
    env: {
      HOST: '127.0.0.1',
      PORT: String(replica.port),
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      GATEWAY_SIGNING_KEY_FILE: replica.keyFile,
      RATE_LIMIT_USER_RPS: String(USER_RPS),
      LOG_LEVEL: 'warn',
    },
    logDir,
    cwd: root,
  });
  return replica.proc;
}

/**
 * Waits until GET /health/ready answers 200; returns the time it took (ms), or undefined when `timeoutMs` passed or
 * the process exited first (no use waiting for a process that is gone). The last answer stays on `replica.lastReady`
 * for `notReadyReport`.
 */
export async function waitReady(replica, timeoutMs) {
  const started = Date.now();
  replica.lastReady = undefined;
  const ok = await waitFor(
    async () => {
      if (exitOf(replica.proc) !== undefined) return 'exited';
      replica.lastReady = await request(`${replica.url}/health/ready`, { timeoutMs: 2000 });
      return replica.lastReady.status === 200 ? 'ready' : undefined;
    },
    { timeoutMs },
  );
  return ok === 'ready' ? Date.now() - started : undefined;
}

/** Waits for every replica as `waitReady` does, at once; returns those that are not ready (late or exited). */
export async function notReadyOf(replicas, timeoutMs) {
  const ready = await Promise.all(replicas.map((r) => waitReady(r, timeoutMs)));
  return replicas.filter((_, i) => ready[i] === undefined);
}

/**
 * Why replicas that `waitReady` gave up on are not ready, for the error a run stops with: whether each exited or
 * what its readiness answered last, and the end of its log. CI keeps only what a run prints, not its log files.
 */
export function notReadyReport(replicas) {
  return replicas
    .map((r) => {
      const last = r.lastReady;
      const answer =
        last === undefined
          ? 'never asked'
          : last.status === 0
            ? last.error
            : `${last.status} ${JSON.stringify(last.body)}`;
      const state = exitOf(r.proc) ?? `still running; /health/ready last answered: ${answer}`;
      return `${r.name} (port ${r.port}): ${state}\n  last lines of ${r.proc.logFile}:\n${logTail(r.proc.logFile).replace(/^/gm, '    ')}`;
    })
    .join('\n');
}
