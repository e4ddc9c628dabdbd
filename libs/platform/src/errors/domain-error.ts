/** Why a use case refused; the HTTP layer maps each kind to its status. */
export type DomainErrorKind = 'invalid' | 'not_found' | 'conflict' | 'forbidden' | 'gone';

/** A refusal by the domain, safe to show to the caller. */
export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    readonly errors: { field: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
