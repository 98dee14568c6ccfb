/** A `/health/ready` answer: the overall status and one state per check. */
export interface ReadinessBody {
  readonly status: string;
  readonly checks: Record<string, string>;
}

/**
 * `GET <base>/health/ready` until `until` holds of its body, or the last answer after ~4 s (40 tries, 100 ms apart):
 * one evaluation answers every probe for a second (READINESS_TTL_MS), so a change shows within that.
 */
export async function readinessWhen(
  base: string,
  until: (body: ReadinessBody) => boolean,
): Promise<{ status: number; body: ReadinessBody }> {
  for (let i = 0; ; i++) {
    const res = await fetch(`${base}/health/ready`);
    const body = (await res.json()) as ReadinessBody;
    if (until(body) || i === 40) return { status: res.status, body };
    await new Promise((r) => setTimeout(r, 100));
  }
}
