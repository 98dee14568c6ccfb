// What the checks share: credentials per app, and which business route of an app to exercise.
import { freshUserToken, partnerKey } from '../lib/estate.mjs';
import { request } from '../lib/http.mjs';
import { CheckFailed, NotAvailable } from '../lib/results.mjs';

/** Routes of the product contract, in order of preference; the first one an app serves is used. */
const ROUTES = {
  'web-bff': (ids) => ['/api/products?limit=1', `/api/employees/${ids.employeeId}`],
  'mobile-bff': () => ['/api/products?limit=1'],
  'partner-bff': () => ['/v1/products?limit=1'],
};

export const isSuccess = (status) => status >= 200 && status < 300;

/** Request headers for one principal: a fresh user (web, mobile) or a demo partner's key (partner). */
export async function credentialsFor(ctx, app, partner = 'acme') {
  if (app === 'partner-bff') return { 'x-api-key': partnerKey(ctx.credentials, partner) };
  return { authorization: `Bearer ${await freshUserToken(app)}` };
}

const KEY_HINT =
  ' — with REDIS_URL set, partner-bff reads API keys from Redis, where startAll seeds the demo keys (was Redis emptied?)';

/** The answer, unless the app refused the demo credentials (then the check cannot say anything: FAIL, with why). */
export function accepted(replica, route, res) {
  if (res.status !== 401) return { route, res };
  throw new CheckFailed(
    `GET ${route} on ${replica.name} refused the demo credentials: ${describe(res)}${replica.app === 'partner-bff' ? KEY_HINT : ''}`,
  );
}

/** The first contract route `replica` serves (not 404), with its answer; cached per app. */
export async function businessRoute(ctx, replica, headers) {
  const cached = ctx.routes[replica.app];
  if (cached) return accepted(replica, cached, await request(replica.url + cached, { headers }));
  for (const route of ROUTES[replica.app](ctx.ids)) {
    const res = await request(replica.url + route, { headers });
    if (res.status !== 404) {
      ctx.routes[replica.app] = route;
      return accepted(replica, route, res);
    }
  }
  throw new NotAvailable(`${replica.app} serves none of ${ROUTES[replica.app](ctx.ids).join(', ')}`);
}

/** One line about an answer: status and, for a problem, its title or detail. */
export function describe(res) {
  if (res.status === 0) return `no answer (${res.error})`;
  const problem = typeof res.body === 'object' && res.body ? (res.body.detail ?? res.body.title) : undefined;
  return problem ? `${res.status} (${problem})` : String(res.status);
}
