/**
 * A broken rule, named by a stable machine-readable code (a public contract: clients branch on it).
 * `kind` decides the HTTP status at the edge: 'rule' 422, 'not_found' 404, 'conflict' 409.
 */
export type DomainErrorKind = 'rule' | 'not_found' | 'conflict';

export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly kind: DomainErrorKind = 'rule',
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export function notFound(what: string, id: string): DomainError {
  return new DomainError(`${what.toUpperCase()}_NOT_FOUND`, `${what} ${id} does not exist`, 'not_found', { id });
}

export function ruleBroken(code: string, message: string, details: Record<string, unknown> = {}): DomainError {
  return new DomainError(code, message, 'rule', details);
}
