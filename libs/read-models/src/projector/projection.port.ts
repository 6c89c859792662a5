import { StoredEvent } from '@app/event-store';
import { SavedProjectionState } from '../projection/projection-state';

/**
 * What the projector runs: any projection that turns events into batches of whole documents for
 * its writer. The projector owns everything around it — the lease, the subscription, batching,
 * checkpoints, saved state, bulk loads — and knows nothing of the documents.
 */
export interface Projection<Changes> {
  /** The last event applied. */
  readonly position: bigint;
  /** Takes one event; it may read the log for state it let go to stay in bounded memory. */
  apply(event: StoredEvent): Promise<void>;
  hasChanges(): boolean;
  /**
   * The documents changed since the last flush. In a bulk load (`bulk`), only those that must not
   * pile up in memory: the rest are left for `deferred`, once the log is read.
   */
  flush(bulk: boolean): Promise<Changes>;
  /** The end of a bulk load: the documents left for it, each rendered once, in chunks of about `chunk`. */
  deferred(chunk: number): Iterable<Changes>;
  /** Forgets what changed (after a restore's replay: all of that is written already). */
  discardChanges(): void;
  /** Its state as of `position`, to save beside the checkpoint; only between batches. */
  saveState(): SavedProjectionState;
}

/** How the projector makes the projection it runs. */
export interface ProjectionSource<Changes> {
  /** The event types it follows: any other is not even read. */
  readonly eventTypes: readonly string[];
  /** A batch of no documents (a state saved alone). */
  readonly nothing: Changes;
  fresh(): Projection<Changes>;
  /** The projection a saved state holds; throws (StateRefusedError) when it cannot be trusted as of `checkpoint`. */
  restore(saved: SavedProjectionState, checkpoint: bigint): Projection<Changes>;
}
