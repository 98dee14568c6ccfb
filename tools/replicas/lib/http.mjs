// HTTP on 127.0.0.1 with a deadline on every call, and a poller for "until it answers".

/** fetch with a timeout; resolves to { status, headers, body (parsed JSON or text), ms } or { error }. */
export async function request(url, { method = 'GET', headers = {}, body, timeoutMs = 5000 } = {}) {
  const started = performance.now();
  try {
    const res = await fetch(url, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let parsed = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, headers: res.headers, body: parsed, ms: performance.now() - started };
  } catch (error) {
    return {
      status: 0,
      error: error.cause?.code ?? error.name ?? String(error),
      ms: performance.now() - started,
    };
  }
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` every `everyMs` until it returns a truthy value or `timeoutMs` passes; returns that value or undefined. */
export async function waitFor(probe, { timeoutMs, everyMs = 200 }) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value) return value;
    await sleep(everyMs);
  }
  return undefined;
}
