import { Collection, Db, Document } from 'mongodb';
import { JournalScope } from '../../audit/history-journal';

/** The collections of one version of the read models: every name derives from the prefix here, and only here. */
export function readModelCollectionNames(prefix = '') {
  return {
    progress: `${prefix}progress`,
    units: `${prefix}units`,
    initiatives: `${prefix}initiatives`,
    programs: `${prefix}programs`,
    journal: `${prefix}journal`,
    /** Holds the checkpoint document. */
    meta: `${prefix}read_model_meta`,
  } as const;
}

export type ReadModelCollection = keyof ReturnType<typeof readModelCollectionNames>;

// ---- stored shapes ----
//
// Documents are stored as the port's types plus an `_id` and a few hidden fields, never returned:
// - progress: `_id` `${programId}|${unitId}|${phaseId}` (ids never contain '|', see ID_PATTERN);
//   `_sortAttainment` and `_sortReached` are `progressSortValue` for those sorts (null attainment
//   → -1, null reachedQuotaOn → '9999-12-31'), so that Mongo orders exactly as the memory
//   adapter.
// - units: `_id` unitId; `quotas` is stored as a list of entries, not a map keyed by ids, because
//   ids may contain '.', which FerretDB refuses in field names (and MongoDB handles only partly;
//   see mongo-server-quirks.ts).
// - initiatives, programs: `_id` the document's id; nothing else.
// - journal: one document per (programme, unit) and batch written — `_id`
//   `${programId}|${unitId}|${first position, 20 digits}`, `last` (20 digits), `lines` (phase,
//   position, scopes) and the `events` they name — so that a batch costs a document per unit it
//   touched, not one per event, phase and unit (FerretDB could not keep up), and a history page is
//   a range of the `_id` index. A batch written again after a crash may leave a second document
//   over the same positions: the lines of a position are the same in both, and reading skips them.
// - meta: the checkpoint, the bulk load's mark and the saved projection state (see mongo-writes.ts).

/** Every stored document: a read-model document under a string `_id`. */
export interface StoredDoc extends Document {
  _id: string;
}

/** The collections of one version of the read models, opened. */
export type ReadModelCollections = Record<ReadModelCollection, Collection<StoredDoc>>;

export function openReadModelCollections(db: Db, prefix: string): ReadModelCollections {
  const names = readModelCollectionNames(prefix);
  return {
    progress: db.collection<StoredDoc>(names.progress),
    units: db.collection<StoredDoc>(names.units),
    initiatives: db.collection<StoredDoc>(names.initiatives),
    programs: db.collection<StoredDoc>(names.programs),
    journal: db.collection<StoredDoc>(names.journal),
    meta: db.collection<StoredDoc>(names.meta),
  };
}

export const HIDDEN_PROGRESS_FIELDS = { _id: 0, _sortAttainment: 0, _sortReached: 0 } as const;
export const HIDDEN_ID = { _id: 0 } as const;

/** Positions as 20 digits (an unsigned 64-bit number has at most 20), so that strings order as the numbers; -1 orders first. */
export function paddedPosition(position: bigint): string {
  return position < 0n ? '' : position.toString().padStart(20, '0');
}

/** A journal document's line: a position, a phase and what it adds to the unit's history. */
export interface StoredJournalLine {
  phaseId: string;
  position: string;
  subtree: JournalScope | null;
  own: JournalScope | null;
}
