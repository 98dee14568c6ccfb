// Failover: while one replica is killed (SIGKILL, no goodbye), the surviving one keeps answering every request;
// started again on its port, the killed one becomes ready and answers again.
import { startReplica, waitReady } from '../lib/cluster.mjs';
import { request, sleep } from '../lib/http.mjs';
import { CheckFailed } from '../lib/results.mjs';
import { businessRoute, credentialsFor, describe, isSuccess } from './common.mjs';

/** GETs `url` every `everyMs` until `stop()` says so; returns every answer. */
async function steadyLoad(url, headers, everyMs, stop) {
  const answers = [];
  while (!stop()) {
    answers.push(await request(url, { headers }));
    await sleep(everyMs);
  }
  return answers;
}

export async function failover(ctx, app) {
  const [victim, survivor] = ctx.replicas[app];
  const headers = await credentialsFor(ctx, app, 'acme');
  const { route, res } = await businessRoute(ctx, survivor, headers);
  if (!isSuccess(res.status))
    throw new CheckFailed(`GET ${route} on ${survivor.name} answered ${describe(res)} before any kill`);
  let done = false;
  // ~6 requests per second: under the per-principal limit, so every answer should be a success
  const load = steadyLoad(survivor.url + route, headers, 150, () => done);
  await sleep(400);
  victim.proc.child.kill('SIGKILL');
  await victim.proc.exited;
  const refused = await request(victim.url + route, { headers, timeoutMs: 1000 });
  await sleep(1500);
  done = true;
  const answers = await load;
  const bad = answers.filter((a) => !isSuccess(a.status));
  if (refused.status !== 0)
    throw new CheckFailed(`${victim.name} still answered after SIGKILL (${refused.status})`);
  if (bad.length > 0)
    throw new CheckFailed(
      `${survivor.name} failed ${bad.length}/${answers.length} while ${victim.name} was down: ${describe(bad[0])}`,
    );
  startReplica(victim, ctx);
  const readyMs = await waitReady(victim, 20_000);
  if (readyMs === undefined)
    throw new CheckFailed(`${victim.name} was not ready again within 20 s (log: ${victim.proc.logFile})`);
  const after = await request(victim.url + route, { headers });
  if (!isSuccess(after.status))
    throw new CheckFailed(`${victim.name} restarted but GET ${route} answered ${describe(after)}`);
  return `GET ${route}: ${victim.name} killed, ${survivor.name} answered ${answers.length}/${answers.length}; ${victim.name} restarted, ready in ${(readyMs / 1000).toFixed(1)} s, answering ${after.status}`;
}
