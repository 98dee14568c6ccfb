// The server side of the ledger: the BFFs' access logs (one JSON line per answered request, `reqId` = the
// X-Request-Id the tool sent). Each replica's instances append to `<logDir>/<replica>.log`.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** reqId → [{ replica, status, durationMs }] for every access line of this run's ids. */
export function readAccessLogs(logDir, replicaNames, idPrefix) {
  const seen = new Map();
  for (const name of replicaNames) {
    const file = join(logDir, `${name}.log`);
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line.includes(idPrefix) || !line.startsWith('{')) continue;
      let rec;
      try {
        rec = JSON.parse(line);
      } catch {
        continue;
      }
      if (rec.msg !== 'request' || typeof rec.reqId !== 'string' || !rec.reqId.startsWith(idPrefix)) continue;
      if (!seen.has(rec.reqId)) seen.set(rec.reqId, []);
      seen.get(rec.reqId).push({ replica: name, status: rec.status, durationMs: rec.durationMs, upstreams: rec.upstreams });
    }
  }
  return seen;
}

/** Every log line of `replica` that mentions `id` (evidence for a bad answer), at most `max`, each cut to 600 chars. */
export function linesAbout(logDir, replica, id, max = 6) {
  const file = join(logDir, `${replica}.log`);
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.includes(id))
    .slice(0, max)
    .map((l) => (l.length > 600 ? `${l.slice(0, 600)}…` : l));
}
