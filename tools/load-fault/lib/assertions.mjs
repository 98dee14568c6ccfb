// The verdicts of a run, each PASS, FAIL (with the evidence: request ids, counts) or NOT AVAILABLE / NOT JUDGED
// (never counted as passed). Inputs: the ledger, the fault windows, the access logs, the orders at sales, memory.
export const PASS = 'PASS';
export const FAIL = 'FAIL';
export const NOT_AVAILABLE = 'NOT AVAILABLE';
export const NOT_JUDGED = 'NOT JUDGED';

const DRAIN_RACE_MS = 100;
const STARVED_MS = 250; // a request during which this process stalled this long says more about the machine than the app // a request written this close to SIGTERM may still be unread when idle sockets close
const answered = (e) => e.status !== undefined;
const ids = (list, n = 5) => list.slice(0, n).map((e) => e.id ?? e).join(', ') + (list.length > n ? ` … (+${list.length - n})` : '');
const overlaps = (e, w) => e.sentAt <= (w.to ?? Infinity) && (e.endedAt ?? Infinity) >= w.from;

/** The kill window that excuses `e` (a request to the killed replica, in flight at the kill or sent before it was ready again). */
export function killWindowOf(e, windows) {
  return windows.find((w) => w.kind === 'kill' && w.replica === e.replica && overlaps(e, w));
}

function drainRaceOf(e, windows) {
  return windows.find((w) => w.kind === 'drain' && w.replica === e.replica && e.sentAt >= w.from - DRAIN_RACE_MS && e.sentAt <= w.from);
}

/** 401 from partner-bff between the Redis kill and shortly after the keys were seeded again. */
function keyGapOf(e, windows) {
  return e.app === 'partner-bff' && e.status === 401 && windows.find((w) => w.kind === 'redis' && e.sentAt >= w.from && e.sentAt <= (w.to ?? Infinity) + 1500);
}

export function judge({ stall, entries, sentCount, doubleRecords, windows, logs, killedPids, orders, memory, plan, exits, settings, durationMs, short }) {
  const results = [];
  const add = (name, status, detail) => results.push({ name, status, detail });
  const flagged = []; // bad answers whose log lines go into the report as evidence
  const flag = (list, what) => list.slice(0, 4).forEach((e) => flagged.push({ e, what: typeof what === 'function' ? what(e) : what }));
  const deadline = Number(settings.ROUTE_DEADLINE_MS);
  const margin = 1000;

  // 1. every id accounted for exactly once, client side and server side
  const pending = entries.filter((e) => e.pending);
  const clientOk = entries.length === sentCount && pending.length === 0 && doubleRecords.length === 0;
  const serverBad = [];
  let lostWithKilled = 0;
  for (const e of entries.filter(answered)) {
    const lines = logs.get(e.id) ?? [];
    if (lines.length === 0 && killedPids.has(e.instance)) lostWithKilled += 1;
    else if (lines.length !== 1 || lines[0].replica !== e.replica || lines[0].status !== e.status) serverBad.push({ id: e.id, sent: e.replica, got: e.status, logged: lines.map((l) => `${l.replica}:${l.status}`).join('+') || 'none' });
  }
  add(
    'ledger: every request id accounted for exactly once',
    clientOk && serverBad.length === 0 ? PASS : FAIL,
    `${sentCount} ids sent, ${entries.length - pending.length} ended (${pending.length} never ended, ${doubleRecords.length} recorded twice); ` +
      `server side: ${entries.filter(answered).length - serverBad.length - lostWithKilled} answers logged once by the replica they were sent to with the same status` +
      (lostWithKilled ? `, ${lostWithKilled} not logged by the SIGKILLed instance (its async log buffer died with it)` : '') +
      (serverBad.length ? `; MISMATCH ${serverBad.length}: ${serverBad.slice(0, 5).map((b) => `${b.id} sent to ${b.sent} got ${b.got}, logged ${b.logged}`).join('; ')}` : ''),
  );

  // 2. X-Request-Id echoed
  const noEcho = entries.filter((e) => answered(e) && e.echoedId !== e.id);
  add('X-Request-Id echoed on every answer', noEcho.length ? FAIL : PASS, noEcho.length ? `${noEcho.length} answers without the sent id: ${ids(noEcho)}` : `${entries.filter(answered).length} answers`);

  // 3. statuses classified
  const unclassified = [];
  let excusedKeyGap = 0;
  for (const e of entries.filter(answered)) {
    if (e.expect.includes(e.status)) continue;
    if (keyGapOf(e, windows)) excusedKeyGap += 1;
    else unclassified.push(e);
  }
  flag(unclassified, (e) => `${e.target} on ${e.replica}: ${e.status} is not in its expected set`);
  const byKind = {};
  for (const e of unclassified) (byKind[`${e.target} → ${e.status}`] ??= []).push(e.id);
  add(
    'every answer a classified status',
    unclassified.length ? FAIL : PASS,
    unclassified.length
      ? Object.entries(byKind).map(([k, v]) => `${k}: ${v.length} (${ids(v, 3)})`).join('; ')
      : `all answers in their route's expected set${excusedKeyGap ? `; ${excusedKeyGap} partner 401s while Redis was restarting (key store empty until re-seeded)` : ''}`,
  );

  // 4. no 500s
  const fivehundreds = entries.filter((e) => e.status >= 500 && ![502, 503, 504].includes(e.status));
  flag(fivehundreds, (e) => `${e.method} ${e.path} on ${e.replica}: ${e.status}`);
  add('no 500s', fivehundreds.length ? FAIL : PASS, fivehundreds.length ? `${fivehundreds.length}: ${ids(fivehundreds)}` : `0 of ${entries.filter(answered).length} answers`);

  // 5. transport errors only inside a kill window
  const transport = entries.filter((e) => e.error !== undefined);
  const inKill = transport.filter((e) => killWindowOf(e, windows));
  const race = transport.filter((e) => !killWindowOf(e, windows) && drainRaceOf(e, windows));
  const stray = transport.filter((e) => !killWindowOf(e, windows) && !drainRaceOf(e, windows));
  flag(stray, (e) => `${e.target} on ${e.replica}: ${e.error} outside any kill window`);
  const kinds = (list) => Object.entries(list.reduce((m, e) => ((m[e.error] = (m[e.error] ?? 0) + 1), m), {})).map(([k, n]) => `${k} ${n}`).join(', ');
  add(
    'transport errors only for a killed replica, in its window',
    stray.length ? FAIL : PASS,
    `${inKill.length} in kill windows (${kinds(inKill) || 'none'})` +
      (race.length ? `; ${race.length} sent < ${DRAIN_RACE_MS} ms before a SIGTERM (${kinds(race)})` : '') +
      (stray.length ? `; OUTSIDE any window: ${stray.length} (${kinds(stray)}): ${stray.slice(0, 5).map((e) => `${e.id} ${e.replica} ${e.error} at ${(e.sentAt / 1000).toFixed(1)} s`).join('; ')}` : ''),
  );

  // 6. deadline
  const late = entries.filter((e) => answered(e) && e.ms > deadline + margin && !killWindowOf(e, windows));
  // late by no more than this process itself was stalled meanwhile: the machine starved everyone of CPU
  const starved = late.filter((e) => e.ms <= deadline + margin + stall.during(e.sentAt, e.endedAt));
  const slow = late.filter((e) => !starved.includes(e));
  const hung = stray.filter((e) => e.error === 'client-timeout');
  flag([...slow, ...hung], (e) => `${e.target} on ${e.replica}: ${e.status ?? e.error} after ${Math.round(e.ms)} ms`);
  const maxMs = Math.max(0, ...entries.filter((e) => answered(e) && !killWindowOf(e, windows)).map((e) => e.ms));
  add(
    `no answer past ROUTE_DEADLINE_MS + ${margin} ms (${deadline + margin} ms)`,
    slow.length || hung.length ? FAIL : PASS,
    slow.length || hung.length
      ? `${slow.length} slow, ${hung.length} never answered: ${[...slow, ...hung].slice(0, 5).map((e) => `${e.id} ${e.target} ${e.status ?? e.error} ${Math.round(e.ms)} ms`).join('; ')}`
      : `slowest answer ${Math.round(maxMs)} ms (kill windows excepted)` +
          (starved.length ? `; ${starved.length} answer(s) past ${deadline + margin} ms, each late by less than this run's own event loop was stalled meanwhile (CPU starvation of the shared machine, not a missing timeout): ${ids(starved, 3)}` : ''),
  );

  // 7. problem+json with the request id
  const errors = entries.filter((e) => answered(e) && e.status >= 400);
  const badProblem = errors.filter((e) => !e.contentType.startsWith('application/problem+json') || e.problemRequestId !== e.id || e.problemStatus !== e.status);
  flag(badProblem, (e) => `${e.target} on ${e.replica}: ${e.status} as ${e.contentType || 'no content type'}, requestId ${e.problemRequestId}`);
  add(
    'errors are problem+json with the echoed requestId',
    badProblem.length ? FAIL : PASS,
    badProblem.length ? `${badProblem.length} of ${errors.length}: ${badProblem.slice(0, 5).map((e) => `${e.id} ${e.status} ${e.contentType || 'no type'} requestId=${e.problemRequestId}`).join('; ')}` : `${errors.length} error answers checked`,
  );

  // 8. no duplicated orders
  if (!orders.available) add('no duplicated orders (POST /v1/orders, Idempotency-Key)', NOT_AVAILABLE, orders.why);
  else {
    const { logical, perKey, strangers } = orders;
    const dup = logical.filter((o) => perKey.get(o.key).length > 1);
    const missing = logical.filter((o) => o.outcome === 'placed' && perKey.get(o.key).length === 0);
    const silent = logical.filter((o) => o.outcome !== 'placed' && perKey.get(o.key).length === 1);
    for (const o of dup) flag(entries.filter((e) => e.orderKey === o.key).slice(0, 1), () => `Idempotency-Key ${o.key} placed ${perKey.get(o.key).length} orders at sales (${perKey.get(o.key).join(', ')})`);
    for (const o of silent) flag(entries.filter((e) => e.orderKey === o.key).slice(-1), (e) => `last attempt of key ${o.key}, placed at sales as ${perKey.get(o.key)[0]} but never acknowledged: ${e.status ?? e.error}`);
    const outcomes = logical.reduce((m, o) => ((m[o.outcome] = (m[o.outcome] ?? 0) + 1), m), {});
    const attempts = logical.reduce((n, o) => n + o.attempts.length, 0);
    add(
      'no duplicated orders (POST /v1/orders, Idempotency-Key)',
      dup.length || missing.length || strangers.length ? FAIL : PASS,
      `${logical.length} logical orders, ${attempts} attempts (${Object.entries(outcomes).map(([k, n]) => `${k} ${n}`).join(', ')}, ${logical.filter((o) => o.replayed).length} answered as replays); at sales: ` +
        `${dup.length} keys with more than one order${dup.length ? ` (${dup.slice(0, 5).map((o) => `${o.key} → ${perKey.get(o.key).join('+')}`).join('; ')})` : ''}, ` +
        `${missing.length} acknowledged (201) but absent${missing.length ? ` (${ids(missing.map((o) => o.key))})` : ''}, ${strangers.length} orders not traceable to a key` +
        (silent.length ? `; ${silent.length} placed at sales although the client never got a 201 (${ids(silent.map((o) => o.key), 3)})` : ''),
    );
  }

  // 9. drain
  for (const w of windows.filter((x) => x.kind === 'drain')) {
    const before = entries.filter((e) => e.replica === w.replica && e.instance === w.pid && e.sentAt < w.from);
    const inFlight = before.filter((e) => (e.endedAt ?? Infinity) > w.from);
    const lost = before.filter((e) => !answered(e) && e.sentAt < w.from - DRAIN_RACE_MS);
    const drainMs = Number(settings.SHUTDOWN_DRAIN_MS);
    const lastAnswer = inFlight.some(answered) ? Math.max(...inFlight.filter(answered).map((e) => e.endedAt)) : undefined;
    // the contract: accepted requests finish, then the process exits 0 — promptly, not when idle clients let go
    const afterLast = lastAnswer === undefined ? undefined : w.exitMs - (lastAnswer - w.from);
    const prompt = afterLast === undefined || afterLast <= margin + stall.during(lastAnswer, w.from + w.exitMs);
    const exitOk = w.exit && !w.exit.timeout && w.exit.code === 0 && w.exitMs <= drainMs + margin && prompt;
    if (!exitOk) flagged.push({ e: { id: `${w.replica} (pid ${w.pid})`, replica: w.replica, grep: 'drain', max: 2 }, what: `drained: exit ${w.exit?.code ?? '-'} after ${Math.round(w.exitMs)} ms, ${afterLast === undefined ? '' : `${Math.round(afterLast)} ms after its last in-flight answer`}` });
    add(
      `drain: ${w.replica} SIGTERM → accepted requests answered, then exit 0 promptly`,
      exitOk && lost.length === 0 ? PASS : FAIL,
      `${w.exit?.timeout ? 'did NOT exit' : `exit code ${w.exit?.code} signal ${w.exit?.signal} after ${Math.round(w.exitMs)} ms`} (SHUTDOWN_DRAIN_MS ${drainMs}); ` +
        `${afterLast === undefined ? '' : `exit ${Math.round(afterLast)} ms after its last in-flight answer (at most ${margin} ms expected); `}` +
        `${inFlight.length} requests in flight at SIGTERM, ${inFlight.filter(answered).length} answered (${[...new Set(inFlight.filter(answered).map((e) => e.status))].join('/') || '-'}); ${lost.length} sent before it lost${lost.length ? `: ${ids(lost)}` : ''}; ready again after ${w.readyMs === undefined ? 'NEVER' : `${(w.readyMs / 1000).toFixed(1)} s`}`,
    );
  }

  // 10. kill and restart
  for (const w of windows.filter((x) => x.kind === 'kill')) {
    const after = entries.filter((e) => e.replica === w.replica && e.sentAt > (w.to ?? Infinity));
    add(
      `kill: ${w.replica} SIGKILL → started again, ready, answering`,
      w.readyMs !== undefined && (after.some(answered) || w.to > durationMs) ? PASS : FAIL,
      `down ${(((w.to ?? NaN) - w.from) / 1000).toFixed(1)} s (/health/ready 200 ${w.readyMs === undefined ? 'NEVER' : `${(w.readyMs / 1000).toFixed(1)} s after its restart`}); ` +
        (w.to > durationMs ? 'ready only after the load ended (slow start on a busy machine), so readiness is the proof it answers' : `${after.filter(answered).length} answers from it afterwards`),
    );
  }

  // 11. fault schedule itself, processes
  const failedSteps = plan.filter((s) => s.error);
  add('fault schedule carried out', failedSteps.length ? FAIL : PASS, failedSteps.length ? failedSteps.map((s) => `${s.what}: ${s.error}`).join('; ') : `${plan.length} faults injected and cleared`);
  add('no process exited unexpectedly', exits.length ? FAIL : PASS, exits.length ? exits.join('; ') : 'estate, Redis and every BFF instance ran until stopped');

  // 12. recovery: after the last fault (and an open circuit's half-open delay) each app answers as it should
  // (a replica still starting after a kill is the kill's business: its requests are excused above, left out here)
  const lastFault = Math.max(...windows.filter((w) => w.kind === 'upstream' || w.kind === 'redis').map((w) => w.to ?? Infinity));
  const tailFrom = Math.max(lastFault + Number(settings.BREAKER_HALF_OPEN_AFTER_MS) + 1000, durationMs * 0.8);
  const inTail = entries.filter((e) => e.sentAt >= tailFrom && e.sentAt <= durationMs && !killWindowOf(e, windows));
  const tail = inTail.filter((e) => stall.during(e.sentAt, e.endedAt ?? e.sentAt) < STARVED_MS);
  if (tailFrom > durationMs - 1000 || tail.length < 10) add('recovery after the faults', NOT_JUDGED, `quiet tail too short (from ${(tailFrom / 1000).toFixed(1)} s to ${(durationMs / 1000).toFixed(1)} s)`);
  else {
    const perApp = {};
    for (const e of tail) {
      const r = (perApp[e.app] ??= { n: 0, ok: 0 });
      r.n += 1;
      if (e.status === e.expect[0] || e.status === 304 || e.status === 201) r.ok += 1;
    }
    const worst = Object.entries(perApp).filter(([, r]) => r.ok / r.n < 0.95);
    add(
      'recovery after the faults (≥ 95% nominal answers in the quiet tail)',
      worst.length ? FAIL : PASS,
      `from ${(tailFrom / 1000).toFixed(1)} s: ${Object.entries(perApp).map(([a, r]) => `${a} ${r.ok}/${r.n}`).join(', ')}` +
        (inTail.length > tail.length ? `; ${inTail.length - tail.length} requests left out: this run's own event loop stalled ≥ ${STARVED_MS} ms during them` : ''),
    );
  }

  // 13. memory
  const judged = memory.filter((m) => m.judged);
  if (short) add('memory flat after warm-up', NOT_JUDGED, 'the short run is too short to tell warm-up from growth; the full run judges it');
  else if (judged.length === 0) add('memory flat after warm-up', NOT_JUDGED, 'no BFF instance lived long enough after warm-up');
  else {
    const bad = judged.filter((m) => !m.ok);
    add(
      'memory flat after warm-up (< 30 MiB and < 20% growth)',
      bad.length ? FAIL : PASS,
      judged.map((m) => `${m.name}#${m.pid} ${m.growthMiB >= 0 ? '+' : ''}${m.growthMiB.toFixed(1)} MiB (${m.growthPct.toFixed(1)}%)`).join(', ') + `; ${memory.length - judged.length} instances too short-lived to judge`,
    );
  }
  return { results, flagged };
}
