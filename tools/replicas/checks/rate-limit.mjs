// Shared rate limit: a burst for one principal, split across both replicas of an app, lets exactly the limit
// through (one counter in Redis), and each 429 carries Retry-After. A fresh principal (or, for a partner's fixed
// key, a window that has expired) per attempt, so the burst starts on an empty 1 s window.
import { request, sleep } from '../lib/http.mjs';
import { CheckFailed, NotAvailable } from '../lib/results.mjs';
import { businessRoute, credentialsFor, describe } from './common.mjs';

const PARTNER = 'globex'; // plan free: 5 requests per second
const MAX_BURST_MS = 800; // the window is 1 s from its first hit: a slower burst could spill into the next one

async function burst([a, b], route, headers, size) {
  const started = performance.now();
  const answers = await Promise.all(
    Array.from({ length: size }, (_, i) => (i % 2 === 0 ? a : b)).map(async (r) => ({
      replica: r.id,
      res: await request(r.url + route, { headers }),
    })),
  );
  return { answers, ms: Math.round(performance.now() - started) };
}

function verdict(answers, limit) {
  const limited = answers.filter((x) => x.res.status === 429);
  const through = answers.filter((x) => x.res.status !== 429 && x.res.status !== 0);
  const perReplica = ['a', 'b'].map(
    (id) =>
      `${id}: ${through.filter((x) => x.replica === id).length} ok/${limited.filter((x) => x.replica === id).length} 429`,
  );
  const noRetryAfter = limited.filter((x) => !x.res.headers.get('retry-after')).length;
  const lost = answers.length - limited.length - through.length;
  const ok = through.length === limit && noRetryAfter === 0 && lost === 0;
  const why =
    through.length === 2 * limit ? ' — each replica counted on its own: the limit is not shared' : '';
  return {
    ok,
    text: `${through.length}/${answers.length} let through for a limit of ${limit} (${perReplica.join(', ')}; ${noRetryAfter} 429 without Retry-After; ${lost} unanswered)${why}`,
  };
}

export async function sharedRateLimit(ctx, app) {
  const replicas = ctx.replicas[app];
  const principal = app === 'partner-bff' ? PARTNER : 'acme';
  const { route, res } = await businessRoute(ctx, replicas[0], await credentialsFor(ctx, app, principal));
  const limit = Number(res.headers?.get('ratelimit-limit'));
  if (!limit)
    throw new NotAvailable(
      `GET ${route} answered ${describe(res)} without RateLimit-Limit: rate limiting is not in ${app} yet`,
    );
  for (let attempt = 1; ; attempt += 1) {
    if (app === 'partner-bff') await sleep(1100); // the key's window from the probe expires
    const headers = await credentialsFor(ctx, app, principal);
    const { answers, ms } = await burst(replicas, route, headers, Math.max(12, 3 * limit));
    if (ms > MAX_BURST_MS && attempt < 3) continue;
    const { ok, text } = verdict(answers, limit);
    const detail = `GET ${route}: ${text}; burst ${ms} ms, attempt ${attempt}`;
    if (!ok) throw new CheckFailed(detail);
    return detail;
  }
}
