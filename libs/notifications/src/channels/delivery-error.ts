/**
 * A delivery that did not go through. The message is a short code — an SMTP reply code, an HTTP
 * status, a socket error name — because a server's own text may quote the recipient's address,
 * and this message ends up in the `notification` row, the delivery ledger and the worker log.
 */
export class DeliveryError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'DeliveryError';
  }
}

const CODE = /^[A-Z][A-Z0-9_]{1,40}$/;

/** An error code fit to record (`ECONNREFUSED`, `EENVELOPE`), or null for anything else. */
export function safeCode(value: unknown): string | null {
  return typeof value === 'string' && CODE.test(value) ? value : null;
}
