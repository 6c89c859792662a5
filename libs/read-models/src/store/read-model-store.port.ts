import { InitiativeStatus, UnitKind } from '@app/domain';
import { HistoryQuery } from '../audit/history-journal';
import { HistoryEntry } from '../audit/unit-history';
import { InitiativeDoc } from '../initiatives/initiative-doc';
import { ProgressRow, ProgressSort } from '../progress/progress-row';
import { ProgramDoc } from '../programs/program-doc';
import { ProjectionChanges } from '../projection/programme-projection';
import { SavedProjectionState } from '../projection/projection-state';
import { UnitDoc } from '../units/unit-doc';

export const READ_MODEL_STORE = Symbol('READ_MODEL_STORE');

export interface Page<T> {
  items: T[];
  /** Opaque; pass it back as `cursor` for the next page. Null on the last page. */
  nextCursor: string | null;
}

export interface ProgressQuery {
  programId: string;
  phaseId: string;
  /** Direct children of this unit. */
  parentId?: string;
  kind?: UnitKind;
  /** Only units whose reachedQuotaOn is before the end of the phase. */
  finishedEarly?: boolean;
  sort: ProgressSort | 'reachedQuotaOn';
  limit: number;
  cursor?: string;
}

export interface InitiativeQuery {
  programId?: string;
  unitId?: string;
  /** With unitId: the whole subtree of that unit, not the unit alone. */
  subtree?: boolean;
  status?: InitiativeStatus;
  phaseId?: string;
  /** Words that must all appear in the title or authors, with or without diacritics. */
  q?: string;
  limit: number;
  cursor?: string;
}

/**
 * Where the read models live. Written only by the projector, in whole documents (idempotent), the
 * checkpoint last; read by the query side. Adapters: MongoDB (production) and in memory (embedded).
 */
/** The documents of each read model, by the name `documents()` knows them by. */
export interface StoredDocuments {
  progress: ProgressRow;
  units: UnitDoc;
  initiatives: InitiativeDoc;
  programs: ProgramDoc;
}
export type StoredDocumentKind = keyof StoredDocuments;

export interface ReadModelStore {
  /** The global position of the last event whose effects are all written. */
  checkpoint(): Promise<bigint>;
  /**
   * Writes the documents, then the checkpoint: a crash in between leaves the old checkpoint. With
   * `state`, the projection's state as of `position` is saved too, after the checkpoint (a crash in
   * between leaves an older state, whose tail the next start replays).
   */
  write(changes: ProjectionChanges, position: bigint, state?: SavedProjectionState): Promise<void>;
  /** The projection state saved last, or null; a start checks it before trusting it. */
  savedState(): Promise<SavedProjectionState | null>;

  program(programId: string): Promise<ProgramDoc | null>;
  progress(query: ProgressQuery): Promise<Page<ProgressRow>>;
  /** A unit's rows, ordered by phase id (callers order them by the programme's phases). */
  unitProgress(programId: string, unitId: string): Promise<ProgressRow[]>;
  unit(unitId: string): Promise<UnitDoc | null>;
  children(unitId: string, limit: number, cursor?: string): Promise<Page<UnitDoc>>;
  initiative(initiativeId: string): Promise<InitiativeDoc | null>;
  /** The stored documents of these initiatives, those that exist, in no particular order (what a batch re-renders). */
  initiativesById(initiativeIds: readonly string[]): Promise<InitiativeDoc[]>;
  initiatives(query: InitiativeQuery): Promise<Page<InitiativeDoc>>;
  /**
   * The units and initiatives that have ever been in the unit's subtree (moves and merges included):
   * the streams whose events make up its history.
   */
  everUnder(unitId: string): Promise<{ unitIds: string[]; initiativeIds: string[] }>;
  /** A page of a unit's history from the journal (see history-journal.ts): at most `limit` entries after `after`, in log order. */
  history(query: HistoryQuery): Promise<HistoryEntry[]>;
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
  /** Every stored document of a kind, in no particular order (for verification and exports). */
  documents<K extends StoredDocumentKind>(kind: K): AsyncIterable<StoredDocuments[K]>;
  close(): Promise<void>;
}

export class InvalidCursorError extends Error {
  constructor() {
    super('The cursor is not one this service issued for this query');
    this.name = 'InvalidCursorError';
  }
}
