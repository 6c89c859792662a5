/** Another writer appended to the stream between our read and our append. */
export class ConcurrentModificationError extends Error {
  readonly code = 'CONCURRENT_MODIFICATION';
  constructor(readonly streamId: string) {
    super(`${streamId} was changed by another request; read it again and retry`);
    this.name = 'ConcurrentModificationError';
  }
}

/** An Idempotency-Key already answered a different request. */
export class IdempotencyKeyReusedError extends Error {
  readonly code = 'IDEMPOTENCY_KEY_REUSED';
  constructor(readonly key: string) {
    super(`Idempotency-Key ${key} was already used for a different request`);
    this.name = 'IdempotencyKeyReusedError';
  }
}
