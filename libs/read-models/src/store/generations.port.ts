import { ReadModelStore } from './read-model-store.port';

/** Which generation of the read models answers queries, and the projection version it was built with. */
export interface LivePointer {
  generation: number;
  version: number;
}

/**
 * Generations of the read models side by side: a rebuild fills a new generation while the live one
 * answers, then one pointer write makes the new one live. (FerretDB has no atomic rename-over, so a
 * pointer document, not a collection rename, is the switch.) The adapters also keep the requests
 * for a rebuild beside the pointer: see RebuildQueue (rebuild-queue.port.ts).
 */
export interface ReadModelGenerations {
  /** The pointer, or null before the first generation was ever made live. */
  live(): Promise<LivePointer | null>;
  open(generation: number): Promise<ReadModelStore>;
  /** The atomic switch. */
  makeLive(pointer: LivePointer): Promise<void>;
  drop(generation: number): Promise<void>;
  /** Generations that exist (live, being built, or left over by a crash mid-rebuild). */
  list(): Promise<number[]>;
  /**
   * Records, again at every heartbeat, that `reader` (a process's manager) reads `generation`.
   * False when not recorded this time (SQLite: another connection is writing, and the reader's
   * thread must not wait for it); the reader tries again at its next refresh.
   */
  reading(reader: string, generation: number): Promise<boolean>;
  /** The reader has stopped. */
  left(reader: string): Promise<void>;
  /**
   * The generations read by readers heard from within the last `withinMs`. A writer drops no
   * generation in it: a fixed grace after a switch once dropped one under an API slow to follow,
   * whose queries then found nothing. Readers not heard from for longer are forgotten.
   */
  generationsRead(withinMs: number): Promise<number[]>;
}
