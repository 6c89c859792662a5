import { ProjectionChanges } from '../projection/read-model-projections';
import { SavedProjectionState } from '../projection/projection-state';
import { ReadModelCheckpoint } from './checkpoint.port';

/**
 * The projector's side of the read models: written only by it, in whole documents (idempotent),
 * the checkpoint last.
 */
export interface ReadModelWriter<Changes = ProjectionChanges> extends ReadModelCheckpoint {
  /**
   * Writes the documents, then the checkpoint: a crash in between leaves the old checkpoint. With
   * `state`, the projection's state as of `position` is saved too, after the checkpoint (a crash in
   * between leaves an older state, whose tail the next start replays).
   */
  write(changes: Changes, position: bigint, state?: SavedProjectionState): Promise<void>;
  /** The projection state saved last, or null; a start checks it before trusting it. */
  savedState(): Promise<SavedProjectionState | null>;
  /**
   * A bulk load: the store is filled from the start of the log and nobody reads it until it is
   * caught up (a rebuild's new generation, a first start). Between begin and end the projector
   * writes initiatives as it goes but progress rows and units once, at the end; the store may defer
   * its secondary indexes to `endBulkLoad`. Meanwhile a write's position goes to the load's mark,
   * not to the checkpoint: the checkpoint never says "written up to here" of figures still to come.
   * The mark is stored, so that a restart after a crash carries the load on from it.
   */
  /** The position the bulk load in progress has written up to, or null when none is. */
  bulkLoading(): Promise<bigint | null>;
  beginBulkLoad(): Promise<void>;
  /** The load's position becomes the checkpoint, and the mark goes. */
  endBulkLoad(): Promise<void>;
  close(): Promise<void>;
}
