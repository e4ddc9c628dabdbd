import autocannon from 'autocannon';
import { performance } from 'node:perf_hooks';
import { RawHttpClient } from './raw-http';
import { sleep } from './stats';

export const COMPLAINTS_PATH = '/api/v1/complaints';

/** Real kelurahan codes of seeded tenants (Kota Serang 36.73, Kota Tangerang 36.71; checked in idn-area-data). */
const KELURAHAN = ['36.73.01.1001', '36.73.01.1002', '36.73.02.1001', '36.71.01.1001'] as const;

/** Request bodies, one per kelurahan, so routing is exercised for more than one unit and tenant. */
export const COMPLAINT_BODIES: readonly string[] = KELURAHAN.map((kelurahan) =>
  JSON.stringify({
    category: 'SAMPAH',
    kelurahan,
    description: 'Sampah menumpuk di depan pasar sejak seminggu lalu, mohon diangkut.',
  }),
);

function trackingNumberOf(body: string): string | null {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null && 'tracking_number' in parsed) {
      const value = (parsed as { tracking_number: unknown }).tracking_number;
      return typeof value === 'string' ? value : null;
    }
  } catch {
    // A non-JSON body is not a 201 the bench can account for.
  }
  return null;
}

export interface IntakeResult {
  accepted: number;
  durationS: number;
  acceptedPerS: number;
  httpP50Ms: number;
  httpP99Ms: number;
  non2xx: number;
  /** socket errors and timeouts: requests whose outcome the bench does not know */
  errors: number;
  statusCodes: Record<string, number>;
  /** tracking numbers of every 201, for the integrity check */
  trackingNumbers: string[];
}

/**
 * The autocannon client fields the graceful stop relies on (autocannon 9 `lib/httpClient.js`):
 * a client whose `reqsMade` reaches `responseMax` closes after its last response instead of sending
 * another request.
 */
interface DrainableClient {
  reqsMade: number;
  responseMax?: number;
}

function isDrainable(client: unknown): client is DrainableClient {
  return typeof client === 'object' && client !== null && typeof (client as { reqsMade?: unknown }).reqsMade === 'number';
}

/**
 * Closed-loop intake at peak: `connections` keep-alive connections each POST as fast as answers
 * come back, for `seconds`. At the deadline every connection finishes its request in flight and
 * stops (autocannon's own timer would cut requests off mid-flight: the server would commit
 * complaints whose 201 the bench never sees, and the integrity count could not be exact).
 */
export function runIntake(baseUrl: string, seconds: number, connections: number): Promise<IntakeResult> {
  const trackingNumbers: string[] = [];
  const headers = { 'content-type': 'application/json' };
  const requests: autocannon.Request[] = COMPLAINT_BODIES.map((body) => ({
    method: 'POST',
    path: COMPLAINTS_PATH,
    headers,
    body,
    onResponse: (status: number, responseBody: string) => {
      if (status !== 201) return;
      const trackingNumber = trackingNumberOf(responseBody);
      if (trackingNumber) trackingNumbers.push(trackingNumber);
    },
  }));
  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    let lastResponseAt = startedAt;
    let draining = false;
    const drainTimer = setTimeout(() => (draining = true), seconds * 1000);
    const instance = autocannon(
      {
        url: baseUrl,
        method: 'POST',
        headers,
        connections,
        // A backstop only: the drain above normally ends the run within a second of the deadline.
        duration: seconds + 15,
        timeout: 10,
        requests,
      },
      (error, result) => {
        clearTimeout(drainTimer);
        if (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        const statusCodes: Record<string, number> = {};
        for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = stat.count ?? 0;
        const accepted = statusCodes['201'] ?? 0;
        const durationS = Math.max(0.001, (lastResponseAt - startedAt) / 1000);
        resolve({
          accepted,
          durationS,
          acceptedPerS: accepted / durationS,
          httpP50Ms: result.latency.p50,
          httpP99Ms: result.latency.p99,
          non2xx: result.non2xx,
          errors: result.errors,
          statusCodes,
          trackingNumbers,
        });
      },
    );
    instance.on('response', (client: unknown) => {
      lastResponseAt = performance.now();
      if (draining && isDrainable(client)) client.responseMax = client.reqsMade;
    });
  });
}

export interface PacedSubmission {
  trackingNumber: string;
  /** wall-clock ms (Date.now()) when the 201 arrived: comparable with the worker's timestamps */
  acceptedAtMs: number;
  httpMs: number;
}

export interface PacedResult {
  targetRatePerS: number;
  achievedRatePerS: number;
  sent: number;
  accepted: PacedSubmission[];
  failed: number;
  /** requests still unanswered when the bench stopped waiting */
  unanswered: number;
  /** how far behind schedule the sender fell at worst (ms): large values mean the load generator was starved */
  maxSendLagMs: number;
}

/**
 * Open-loop submission at a fixed rate: request i is sent at t0 + i/rate whether or not earlier
 * ones were answered, so a slow server shows up as latency instead of a lower send rate. Sent by
 * RawHttpClient, the lightest load generator this machine can run beside the system.
 */
export async function runPaced(baseUrl: string, ratePerS: number, seconds: number): Promise<PacedResult> {
  const url = new URL(baseUrl);
  const client = new RawHttpClient(url.hostname, Number(url.port), { maxConnections: 256, timeoutMs: 30_000 });
  const requests = COMPLAINT_BODIES.map((body) => RawHttpClient.post(url.host, COMPLAINTS_PATH, body));
  const total = Math.max(1, Math.round(ratePerS * seconds));
  const accepted: PacedSubmission[] = [];
  const inFlight = new Set<Promise<void>>();
  let failed = 0;
  let maxSendLagMs = 0;

  const send = (request: Buffer) => {
    const sentAt = performance.now();
    const done = client.send(request).then((response) => {
      const acceptedAtMs = Date.now();
      const trackingNumber = response.ok && response.status === 201 ? trackingNumberOf(response.body) : null;
      if (trackingNumber) accepted.push({ trackingNumber, acceptedAtMs, httpMs: performance.now() - sentAt });
      else failed += 1;
    });
    inFlight.add(done);
    void done.then(() => inFlight.delete(done));
  };

  const startedAt = performance.now();
  // Bounded: the schedule ends after `seconds`, plus a margin for a starved event loop.
  const hardStop = startedAt + seconds * 1000 + 30_000;
  let sent = 0;
  while (sent < total && performance.now() < hardStop) {
    const elapsed = performance.now() - startedAt;
    const due = Math.min(total, Math.floor((elapsed / 1000) * ratePerS) + 1);
    if (due > sent) maxSendLagMs = Math.max(maxSendLagMs, elapsed - (sent / ratePerS) * 1000);
    for (; sent < due; sent += 1) send(requests[sent % requests.length]);
    const nextAt = startedAt + (sent / ratePerS) * 1000;
    await sleep(Math.max(1, nextAt - performance.now()));
  }
  const sendingS = (performance.now() - startedAt) / 1000;
  await Promise.race([Promise.all([...inFlight]), sleep(35_000)]);
  const unanswered = inFlight.size;
  client.close();
  return {
    targetRatePerS: ratePerS,
    achievedRatePerS: accepted.length / Math.max(0.001, sendingS),
    sent,
    accepted,
    failed,
    unanswered,
    maxSendLagMs,
  };
}
