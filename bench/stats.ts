/** Small numeric and timing helpers shared by the bench phases. */

/** Nearest-rank percentile (p in 0..100) of unsorted samples; NaN when there are none. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

/** Rounds to `digits` decimals; NaN and infinities become null so the JSON stays valid. */
export function round(value: number, digits = 1): number | null {
  if (!Number.isFinite(value)) return null;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Ratio rounded for the report; null when the denominator is missing or zero. */
export function ratio(numerator: number, denominator: number, digits = 2): number | null {
  if (!Number.isFinite(numerator) || !Number.isFinite(denominator) || denominator === 0) return null;
  return round(numerator / denominator, digits);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Progress goes to stderr: stdout carries only the final JSON document. */
export function progress(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 23)}] ${message}\n`);
}

/** Polls `check` every `everyMs` until it returns true or `timeoutMs` passes; returns whether it did. */
export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, everyMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(everyMs);
  }
}

/**
 * Polls `remaining` until it reaches 0, `timeoutMs` passes, or it has not gone down for
 * `stallMs` (a stuck pipeline ends the wait early instead of using the whole timeout).
 */
export async function waitForZero(
  remaining: () => Promise<number>,
  timeoutMs: number,
  stallMs: number,
  everyMs = 100,
): Promise<{ done: boolean; stalled: boolean; remaining: number }> {
  const deadline = Date.now() + timeoutMs;
  let best = Number.POSITIVE_INFINITY;
  let bestAt = Date.now();
  for (;;) {
    const left = await remaining();
    if (left === 0) return { done: true, stalled: false, remaining: 0 };
    if (left < best) {
      best = left;
      bestAt = Date.now();
    }
    if (Date.now() - bestAt >= stallMs) return { done: false, stalled: true, remaining: left };
    if (Date.now() >= deadline) return { done: false, stalled: false, remaining: left };
    await sleep(everyMs);
  }
}
