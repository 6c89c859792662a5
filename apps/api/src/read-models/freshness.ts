import { Inject, Injectable } from '@nestjs/common';
import { READ_MODEL_STORE, ReadModelCheckpoint } from '@app/read-models';
import { problem, ProblemException } from '../common/problem';

const POLL_MS = 20;
export const DEFAULT_MAX_WAIT_MS = 5_000;

/**
 * Read-your-writes: a client that got position P from a command asks for a read model at least
 * that fresh; the query waits (bounded) for the projector, else answers 503 with Retry-After.
 */
@Injectable()
export class Freshness {
  maxWaitMs = DEFAULT_MAX_WAIT_MS;

  constructor(@Inject(READ_MODEL_STORE) private readonly store: ReadModelCheckpoint) {}

  /** Resolves with the position the read model has reached (≥ minPosition when given). */
  async atLeast(minPosition: bigint | undefined): Promise<bigint> {
    let position = await this.store.checkpoint();
    if (minPosition === undefined || position >= minPosition) return position;
    const deadline = Date.now() + this.maxWaitMs;
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      position = await this.store.checkpoint();
      if (position >= minPosition) return position;
    }
    throw new ProblemException(
      problem(503, 'READ_MODEL_BEHIND', `The read model has reached position ${position}, not yet ${minPosition}; retry shortly`, {
        retryAfterSeconds: 1,
        details: { position: position.toString(), minPosition: minPosition.toString() },
      }),
    );
  }
}
