import { Db, Sort } from 'mongodb';
import { HistoryQuery, JournalEvent, withinDates } from '../../audit/history-journal';
import { HistoryEntry } from '../../audit/unit-history';
import { InitiativeDoc } from '../../initiatives/initiative-doc';
import { InitiativeQuery } from '../../initiatives/initiative-queries.port';
import { ProgressQuery } from '../../progress/progress-queries.port';
import { ProgressRow } from '../../progress/progress-row';
import { ProgramDoc } from '../../programs/program-doc';
import { ProjectionChanges } from '../../projection/read-model-projections';
import { SavedProjectionState } from '../../projection/projection-state';
import { UnitDoc } from '../../units/unit-doc';
import { pageOf } from '../cursor';
import { Page } from '../page';
import { ReadModelStore } from '../read-model-store.port';
import { initiativeSortValue, progressSortValue } from '../sort-keys';
import { StoredDocumentKind, StoredDocuments, StoredInitiativeKey } from '../stored-documents.port';
import { HIDDEN_ID, HIDDEN_PROGRESS_FIELDS, openReadModelCollections, ReadModelCollections, StoredDoc, StoredJournalLine } from './mongo-collections';
import { ensureIndexes, readModelIndexes } from './mongo-indexes';
import { childrenFind, initiativesFind, journalFind, progressFind, unitProgressFind } from './mongo-queries';
import { bulkWriteChunkSize, decodeUnit, findEachById, isFerretDb } from './mongo-server-quirks';
import { BULK_ID, CHECKPOINT_ID, DEFAULT_CHUNK_SIZE, findPositionDoc, markBulkLoad, positionOf, raiseCheckpoint, readSavedState, saveState, unmarkBulkLoad, writeDocuments } from './mongo-writes';

// The adapter's files: mongo-collections.ts (names and stored shapes), mongo-indexes.ts,
// mongo-queries.ts (filters and sorts), mongo-writes.ts (documents and meta documents), and
// mongo-server-quirks.ts (every FerretDB workaround).

export interface MongoReadModelStoreOptions {
  /**
   * Prefix of every collection name (default ''). A rebuild writes a new version of the read
   * models beside the live one under another prefix; see `readModelCollectionNames`.
   */
  prefix?: string;
  /**
   * Operations per `bulkWrite` (default 1000). On FerretDB it is capped at 99: FerretDB 1.x
   * deadlocks on one update command of 100 or more statements that match existing documents.
   */
  chunkSize?: number;
}

/**
 * The read models in MongoDB (or anything speaking its wire protocol well enough: FerretDB 1.x is
 * tested). Needs no transactions: each write is idempotent (whole documents under deterministic
 * ids, replaced with upsert), and the checkpoint, written last, is only ever raised. A crash
 * between or inside the document writes leaves the old checkpoint, so the projector redoes the
 * batch; writing the same documents again converges to the same state.
 *
 * The store does not own the connection: `close()` leaves the client open for its owner.
 */
export class MongoReadModelStore implements ReadModelStore {
  private readonly collections: ReadModelCollections;
  /** Whether a bulk load is in progress, once read (undefined: not yet asked). */
  private bulk?: boolean;
  private readonly chunkSize: number;

  private constructor(db: Db, options: MongoReadModelStoreOptions, onFerretDb: boolean) {
    this.collections = openReadModelCollections(db, options.prefix ?? '');
    this.chunkSize = bulkWriteChunkSize(options.chunkSize ?? DEFAULT_CHUNK_SIZE, onFerretDb);
  }

  /** Opens the store and creates its indexes (idempotent: every index has a fixed name and key). */
  static async open(db: Db, options: MongoReadModelStoreOptions = {}): Promise<MongoReadModelStore> {
    const onFerretDb = await isFerretDb(db);
    const store = new MongoReadModelStore(db, options, onFerretDb);
    const indexes = readModelIndexes();
    await ensureIndexes(store.collections.progress, indexes.progress, onFerretDb);
    await ensureIndexes(store.collections.units, indexes.units, onFerretDb);
    await ensureIndexes(store.collections.initiatives, indexes.initiatives, onFerretDb);
    return store;
  }

  async checkpoint(): Promise<bigint> {
    const doc = await findPositionDoc(this.collections.meta, CHECKPOINT_ID);
    return doc ? positionOf(doc) : 0n;
  }

  async write(changes: ProjectionChanges, position: bigint, state?: SavedProjectionState): Promise<void> {
    await writeDocuments(this.collections, changes, this.chunkSize);
    if (this.bulk === undefined) await this.bulkLoading();
    await raiseCheckpoint(this.collections.meta, position, this.bulk ? BULK_ID : CHECKPOINT_ID);
    if (state) await saveState(this.collections.meta, state, this.chunkSize);
  }

  savedState(): Promise<SavedProjectionState | null> {
    return readSavedState(this.collections.meta);
  }

  /** MongoDB keeps its indexes through a bulk load: only the mark, with the load's position, is stored. */
  async bulkLoading(): Promise<bigint | null> {
    // Once a store has seen no mark, a load can only begin through this instance: writes ask no more.
    if (this.bulk === false) return null;
    const mark = await findPositionDoc(this.collections.meta, BULK_ID);
    this.bulk = mark !== null;
    return mark ? positionOf(mark) : null;
  }

  async beginBulkLoad(): Promise<void> {
    await markBulkLoad(this.collections.meta, await this.checkpoint());
    this.bulk = true;
  }

  /** The checkpoint first: a crash before the mark goes leaves both, and the next start renders the figures again (idempotently). */
  async endBulkLoad(): Promise<void> {
    const reached = await this.bulkLoading();
    if (reached !== null) await raiseCheckpoint(this.collections.meta, reached, CHECKPOINT_ID);
    await unmarkBulkLoad(this.collections.meta);
    this.bulk = false;
  }

  async program(programId: string): Promise<ProgramDoc | null> {
    return (await this.collections.programs.findOne({ _id: programId }, { projection: HIDDEN_ID })) as ProgramDoc | null;
  }

  async progress(query: ProgressQuery): Promise<Page<ProgressRow>> {
    const { filter, sort } = progressFind(query);
    const rows = (await this.collections.progress
      .find(filter, { projection: HIDDEN_PROGRESS_FIELDS })
      .sort(sort as Sort)
      .limit(query.limit + 1)
      .toArray()) as unknown as ProgressRow[];
    return pageOf(rows, query.limit, (r) => [progressSortValue(r, query.sort), r.unitId]);
  }

  async unitProgress(programId: string, unitId: string): Promise<ProgressRow[]> {
    const { filter, sort } = unitProgressFind(programId, unitId);
    return (await this.collections.progress.find(filter, { projection: HIDDEN_PROGRESS_FIELDS }).sort(sort).toArray()) as unknown as ProgressRow[];
  }

  async unit(unitId: string): Promise<UnitDoc | null> {
    const doc = await this.collections.units.findOne({ _id: unitId }, { projection: HIDDEN_ID });
    return doc ? decodeUnit(doc) : null;
  }

  async children(unitId: string, limit: number, cursor?: string): Promise<Page<UnitDoc>> {
    const { filter, sort } = childrenFind(unitId, cursor);
    const docs = await this.collections.units
      .find(filter, { projection: HIDDEN_ID })
      .sort(sort)
      .limit(limit + 1)
      .toArray();
    return pageOf(docs.map(decodeUnit), limit, (u) => ['', u.unitId]);
  }

  async initiative(initiativeId: string): Promise<InitiativeDoc | null> {
    return (await this.collections.initiatives.findOne({ _id: initiativeId }, { projection: HIDDEN_ID })) as InitiativeDoc | null;
  }

  async initiativesById(initiativeIds: readonly string[]): Promise<InitiativeDoc[]> {
    return (await findEachById(this.collections.initiatives, initiativeIds, HIDDEN_ID)) as unknown as InitiativeDoc[];
  }

  async initiatives(query: InitiativeQuery): Promise<Page<InitiativeDoc>> {
    const { filter, sort } = initiativesFind(query);
    const docs = (await this.collections.initiatives
      .find(filter, { projection: HIDDEN_ID })
      .sort(sort as Sort)
      .limit(query.limit + 1)
      .toArray()) as unknown as InitiativeDoc[];
    return pageOf(docs, query.limit, (d) => [initiativeSortValue(d), d.initiativeId]);
  }

  async everUnder(unitId: string): Promise<{ unitIds: string[]; initiativeIds: string[] }> {
    const [units, initiatives] = await Promise.all([
      this.collections.units.find({ everPath: unitId }, { projection: { _id: 0, unitId: 1 } }).toArray(),
      this.collections.initiatives.find({ everUnitPath: unitId }, { projection: { _id: 0, initiativeId: 1 } }).toArray(),
    ]);
    return { unitIds: units.map((u) => u.unitId as string), initiativeIds: initiatives.map((i) => i.initiativeId as string) };
  }

  async history(query: HistoryQuery): Promise<HistoryEntry[]> {
    const found: HistoryEntry[] = [];
    let taken = query.after ?? -1n;
    const { filter, sort } = journalFind(query);
    for await (const doc of this.collections.journal.find(filter).sort(sort)) {
      const events = new Map((doc.events as JournalEvent[]).map((event) => [event.position, event]));
      for (const line of doc.lines as StoredJournalLine[]) {
        const position = BigInt(line.position);
        const scope = query.subtree ? line.subtree : line.own;
        if (line.phaseId !== query.phaseId || !scope || position <= taken) continue;
        const event = events.get(line.position)!;
        if (!withinDates(query, event.recordedAt)) continue;
        found.push({ ...event, ...scope });
        taken = position;
        if (found.length === query.limit) return found;
      }
    }
    return found;
  }

  async *documents<K extends StoredDocumentKind>(kind: K): AsyncIterable<StoredDocuments[K]> {
    const collection = this.collections[kind];
    const projection = kind === 'progress' ? HIDDEN_PROGRESS_FIELDS : HIDDEN_ID;
    for await (const doc of collection.find({}, { projection })) yield (kind === 'units' ? decodeUnit(doc as StoredDoc) : doc) as unknown as StoredDocuments[K];
  }

  async *initiativeKeys(): AsyncIterable<StoredInitiativeKey> {
    for await (const doc of this.collections.initiatives.find({}, { projection: { _id: 0, initiativeId: 1, unitId: 1 } })) yield { initiativeId: doc.initiativeId, unitId: doc.unitId };
  }

  /** The connection belongs to the caller (several stores and the lease may share it). */
  async close(): Promise<void> {}
}
