import { AnyBulkWriteOperation, Collection, Db, Document, Filter, IndexDescription, Long, Sort } from 'mongodb';
import { HistoryQuery, JournalChanges, JournalEvent, JournalScope, withinDates } from '../../audit/history-journal';
import { HistoryEntry } from '../../audit/unit-history';
import { foldDiacritics } from '../../initiatives/fold-diacritics';
import { InitiativeDoc } from '../../initiatives/initiative-doc';
import { ProgressRow } from '../../progress/progress-row';
import { ProgramDoc } from '../../programs/program-doc';
import { ProjectionChanges } from '../../projection/programme-projection';
import { SavedProjectionState } from '../../projection/projection-state';
import { UnitDoc } from '../../units/unit-doc';
import { checkCursorValue, decodeCursor, pageOf } from '../cursor';
import { InitiativeQuery } from '../../initiatives/initiative-queries.port';
import { ProgressQuery } from '../../progress/progress-queries.port';
import { Page } from '../page';
import { ReadModelStore } from '../read-model-store.port';
import { StoredDocumentKind, StoredDocuments } from '../stored-documents.port';
import { initiativeSortValue, isDescending, progressSortValue } from '../sort-keys';

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

const CHECKPOINT_ID = 'checkpoint' as const;
/** The saved projection state: a pointer document naming one of two slots of chunks, written after the checkpoint. */
const STATE_ID = 'state';
const BULK_ID = 'bulk-load' as const;
/** Characters per chunk: at most 3 bytes each in UTF-8, well under the 16 MB document limit. */
const STATE_CHUNK_CHARS = 4_000_000;
const DEFAULT_CHUNK_SIZE = 1000;
const LOOKUPS_AT_ONCE = 16;
/** The largest update command FerretDB 1.x executes safely (see MongoReadModelStoreOptions.chunkSize). */
export const FERRETDB_MAX_CHUNK_SIZE = 99;

// ---- stored shapes ----
//
// Documents are stored as the port's types plus an `_id` and a few hidden fields, never returned:
// - progress: `_id` `${programId}|${unitId}|${phaseId}` (ids never contain '|', see ID_PATTERN);
//   `_sortAttainment` and `_sortReached` are `progressSortValue` for those sorts (null attainment
//   → -1, null reachedQuotaOn → '9999-12-31'), so that Mongo orders exactly as the memory
//   adapter.
// - units: `_id` unitId; `quotas` is stored as a list of entries, not a map keyed by ids, because
//   ids may contain '.', which FerretDB refuses in field names (and MongoDB handles only partly).
// - initiatives, programs: `_id` the document's id; nothing else.
// - journal: one document per (programme, unit) and batch written — `_id`
//   `${programId}|${unitId}|${first position, 20 digits}`, `last` (20 digits), `lines` (phase,
//   position, scopes) and the `events` they name — so that a batch costs a document per unit it
//   touched, not one per event, phase and unit (FerretDB could not keep up), and a history page is
//   a range of the `_id` index. A batch written again after a crash may leave a second document
//   over the same positions: the lines of a position are the same in both, and reading skips them.

/** Every stored document: a read-model document under a string `_id`. */
interface StoredDoc extends Document {
  _id: string;
}

interface StoredQuotas {
  programId: string;
  phases: { phaseId: string; quota: number }[];
}

const HIDDEN_PROGRESS_FIELDS = { _id: 0, _sortAttainment: 0, _sortReached: 0 } as const;
const HIDDEN_ID = { _id: 0 } as const;

/** Where each progress sort finds its value in a stored row (`null`: the sort is by unitId alone). */
const PROGRESS_SORT_FIELDS: Record<ProgressQuery['sort'], string | null> = {
  unitId: null,
  attainmentPercent: '_sortAttainment',
  '-attainmentPercent': '_sortAttainment',
  counted: 'counted',
  '-counted': 'counted',
  excess: 'excess',
  '-excess': 'excess',
  reachedQuotaOn: '_sortReached',
};

/** The optional equality filters of a progress query, each served by its own family of indexes. */
const PROGRESS_SCOPES = [[], ['parentId'], ['kind'], ['finishedEarly']] as const;

/** Initiatives: newest submission first, ties by id descending (as the memory adapter). */
const INITIATIVE_SORT = { submittedAt: -1, initiativeId: -1 } as const;
const INITIATIVE_SCOPES = [
  [],
  ['programId'],
  ['unitId'],
  ['unitPath'],
  ['status'],
  ['phaseId'],
  ['programId', 'status'],
  ['programId', 'phaseId'],
  ['unitId', 'status'],
  ['unitPath', 'status'],
] as const;

function progressSortSpec(sort: ProgressQuery['sort']): Record<string, 1 | -1> {
  const field = PROGRESS_SORT_FIELDS[sort];
  return field === null ? { unitId: 1 } : { [field]: isDescending(sort) ? -1 : 1, unitId: 1 };
}

/** Every index the queries of the port need, by collection. Created at open, idempotently (fixed names). */
export function readModelIndexes(): Record<Exclude<ReadModelCollection, 'meta'>, IndexDescription[]> {
  const progress: IndexDescription[] = [];
  for (const scope of PROGRESS_SCOPES) {
    for (const sort of Object.keys(PROGRESS_SORT_FIELDS) as ProgressQuery['sort'][]) {
      const key: Record<string, 1 | -1> = { programId: 1, phaseId: 1 };
      for (const field of scope) key[field] = 1;
      Object.assign(key, progressSortSpec(sort));
      progress.push({ key, name: `progress_${scope.join('_') || 'phase'}_by_${sort.replace('-', 'desc_')}` });
    }
  }
  progress.push({ key: { programId: 1, unitId: 1, phaseId: 1 }, name: 'progress_of_unit_by_phase' });
  const initiatives: IndexDescription[] = INITIATIVE_SCOPES.map((scope) => {
    const key: Record<string, 1 | -1> = {};
    for (const field of scope) key[field] = 1;
    Object.assign(key, INITIATIVE_SORT);
    return { key, name: `initiatives_${scope.join('_') || 'all'}_newest` };
  });
  initiatives.push({ key: { everUnitPath: 1, initiativeId: 1 }, name: 'initiatives_ever_under' });
  return {
    progress,
    units: [
      { key: { parentId: 1, unitId: 1 }, name: 'units_children' },
      { key: { everPath: 1, unitId: 1 }, name: 'units_ever_under' },
    ],
    initiatives,
    programs: [],
    // A history page is a range of `_id` (see the stored shapes).
    journal: [],
  };
}

/** The filter and sort a progress query runs (exported for the index tests). */
export function progressFind(query: ProgressQuery): { filter: Filter<StoredDoc>; sort: Record<string, 1 | -1> } {
  const filter: Filter<StoredDoc> = { programId: query.programId, phaseId: query.phaseId };
  if (query.parentId !== undefined) filter.parentId = query.parentId;
  if (query.kind !== undefined) filter.kind = query.kind;
  if (query.finishedEarly !== undefined) filter.finishedEarly = query.finishedEarly;
  const after = decodeCursor(query.cursor);
  const field = PROGRESS_SORT_FIELDS[query.sort];
  if (after) {
    const expected = field === null ? 'empty' : query.sort === 'reachedQuotaOn' ? 'string' : 'number';
    checkCursorValue(after, expected);
    const op = isDescending(query.sort) ? '$lt' : '$gt';
    filter.$or = field === null ? [{ unitId: { $gt: after[1] } }] : [{ [field]: { [op]: after[0] } }, { [field]: after[0], unitId: { $gt: after[1] } }];
  }
  return { filter, sort: progressSortSpec(query.sort) };
}

/** The filter and sort an initiatives query runs (exported for the index tests). */
export function initiativesFind(query: InitiativeQuery): { filter: Filter<StoredDoc>; sort: Record<string, 1 | -1> } {
  const filter: Filter<StoredDoc> = {};
  if (query.programId !== undefined) filter.programId = query.programId;
  if (query.unitId !== undefined) {
    if (query.subtree) filter.unitPath = query.unitId;
    else filter.unitId = query.unitId;
  }
  if (query.status !== undefined) filter.status = query.status;
  if (query.phaseId !== undefined) filter.phaseId = query.phaseId;
  const and: Filter<StoredDoc>[] = [];
  // Each folded word must occur in searchText, literally: regex metacharacters are escaped.
  const words = query.q ? foldDiacritics(query.q).split(' ').filter(Boolean) : [];
  for (const word of words) and.push({ searchText: { $regex: escapeRegExp(word) } });
  const after = decodeCursor(query.cursor);
  if (after) {
    checkCursorValue(after, 'string');
    and.push({ $or: [{ submittedAt: { $lt: after[0] } }, { submittedAt: after[0], initiativeId: { $lt: after[1] } }] });
  }
  if (and.length > 0) filter.$and = and;
  return { filter, sort: { ...INITIATIVE_SORT } };
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
  private readonly progressRows: Collection<StoredDoc>;
  private readonly unitDocs: Collection<StoredDoc>;
  private readonly initiativeDocs: Collection<StoredDoc>;
  private readonly programDocs: Collection<StoredDoc>;
  private readonly meta: Collection<StoredDoc>;
  private readonly journal: Collection<StoredDoc>;
  /** Whether a bulk load is in progress, once read (undefined: not yet asked). */
  private bulk?: boolean;
  private readonly chunkSize: number;

  private constructor(db: Db, options: MongoReadModelStoreOptions, onFerretDb: boolean) {
    const names = readModelCollectionNames(options.prefix ?? '');
    this.progressRows = db.collection<StoredDoc>(names.progress);
    this.unitDocs = db.collection<StoredDoc>(names.units);
    this.initiativeDocs = db.collection<StoredDoc>(names.initiatives);
    this.programDocs = db.collection<StoredDoc>(names.programs);
    this.meta = db.collection<StoredDoc>(names.meta);
    this.journal = db.collection<StoredDoc>(names.journal);
    const chunkSize = Math.max(1, options.chunkSize ?? DEFAULT_CHUNK_SIZE);
    this.chunkSize = onFerretDb ? Math.min(chunkSize, FERRETDB_MAX_CHUNK_SIZE) : chunkSize;
  }

  /** Opens the store and creates its indexes (idempotent: every index has a fixed name and key). */
  static async open(db: Db, options: MongoReadModelStoreOptions = {}): Promise<MongoReadModelStore> {
    const buildInfo = await db.command({ buildInfo: 1 });
    const onFerretDb = typeof buildInfo.ferretdbVersion === 'string';
    const store = new MongoReadModelStore(db, options, onFerretDb);
    const indexes = readModelIndexes();
    await ensureIndexes(store.progressRows, indexes.progress, onFerretDb);
    await ensureIndexes(store.unitDocs, indexes.units, onFerretDb);
    await ensureIndexes(store.initiativeDocs, indexes.initiatives, onFerretDb);
    return store;
  }

  async checkpoint(): Promise<bigint> {
    const doc = await this.meta.findOne({ _id: CHECKPOINT_ID }, { promoteLongs: false });
    return doc ? toBigInt(doc.position) : 0n;
  }

  async write(changes: ProjectionChanges, position: bigint, state?: SavedProjectionState): Promise<void> {
    await this.replaceAll(
      this.progressRows,
      changes.progress.map((row) => ({
        _id: `${row.programId}|${row.unitId}|${row.phaseId}`,
        ...row,
        _sortAttainment: progressSortValue(row, 'attainmentPercent'),
        _sortReached: progressSortValue(row, 'reachedQuotaOn'),
      })),
    );
    await this.replaceAll(
      this.unitDocs,
      changes.units.map((unit) => ({ _id: unit.unitId, ...unit, quotas: encodeQuotas(unit.quotas) })),
    );
    await this.replaceAll(
      this.initiativeDocs,
      changes.initiatives.map((doc) => ({ _id: doc.initiativeId, ...doc })),
    );
    await this.replaceAll(
      this.programDocs,
      changes.programs.map((doc) => ({ _id: doc.programId, ...doc })),
    );
    await this.replaceAll(this.journal, journalDocuments(changes.journal));
    if (this.bulk === undefined) await this.bulkLoading();
    await this.raiseCheckpoint(position, this.bulk ? BULK_ID : CHECKPOINT_ID);
    if (state) await this.saveState(state);
  }

  async savedState(): Promise<SavedProjectionState | null> {
    const pointer = await this.meta.findOne({ _id: STATE_ID });
    if (!pointer) return null;
    const chunks = await this.meta.find({ _id: { $in: Array.from({ length: pointer.chunks as number }, (_, i) => `${STATE_ID}:${pointer.slot}:${i}`) } }).toArray();
    const byIndex = new Map(chunks.map((c) => [c._id, c.text as string]));
    const body = Array.from({ length: pointer.chunks as number }, (_, i) => byIndex.get(`${STATE_ID}:${pointer.slot}:${i}`) ?? '').join('');
    return { version: pointer.version as string, position: BigInt(pointer.position as string), checksum: pointer.checksum as string, body };
  }

  /** MongoDB keeps its indexes through a bulk load: only the mark, with the load's position, is stored. */
  async bulkLoading(): Promise<bigint | null> {
    // Once a store has seen no mark, a load can only begin through this instance: writes ask no more.
    if (this.bulk === false) return null;
    const mark = await this.meta.findOne({ _id: BULK_ID }, { promoteLongs: false });
    this.bulk = mark !== null;
    return mark ? toBigInt(mark.position) : null;
  }

  async beginBulkLoad(): Promise<void> {
    await this.meta.updateOne({ _id: BULK_ID }, { $max: { position: Long.fromBigInt(await this.checkpoint()) } }, { upsert: true });
    this.bulk = true;
  }

  /** The checkpoint first: a crash before the mark goes leaves both, and the next start renders the figures again (idempotently). */
  async endBulkLoad(): Promise<void> {
    const reached = await this.bulkLoading();
    if (reached !== null) await this.raiseCheckpoint(reached, CHECKPOINT_ID);
    await this.meta.deleteOne({ _id: BULK_ID });
    this.bulk = false;
  }

  async program(programId: string): Promise<ProgramDoc | null> {
    return (await this.programDocs.findOne({ _id: programId }, { projection: HIDDEN_ID })) as ProgramDoc | null;
  }

  async progress(query: ProgressQuery): Promise<Page<ProgressRow>> {
    const { filter, sort } = progressFind(query);
    const rows = (await this.progressRows
      .find(filter, { projection: HIDDEN_PROGRESS_FIELDS })
      .sort(sort as Sort)
      .limit(query.limit + 1)
      .toArray()) as unknown as ProgressRow[];
    return pageOf(rows, query.limit, (r) => [progressSortValue(r, query.sort), r.unitId]);
  }

  async unitProgress(programId: string, unitId: string): Promise<ProgressRow[]> {
    return (await this.progressRows
      .find({ programId, unitId }, { projection: HIDDEN_PROGRESS_FIELDS })
      .sort({ programId: 1, unitId: 1, phaseId: 1 })
      .toArray()) as unknown as ProgressRow[];
  }

  async unit(unitId: string): Promise<UnitDoc | null> {
    const doc = await this.unitDocs.findOne({ _id: unitId }, { projection: HIDDEN_ID });
    return doc ? decodeUnit(doc) : null;
  }

  async children(unitId: string, limit: number, cursor?: string): Promise<Page<UnitDoc>> {
    const filter: Filter<StoredDoc> = { parentId: unitId };
    const after = decodeCursor(cursor);
    if (after) {
      checkCursorValue(after, 'empty');
      filter.unitId = { $gt: after[1] };
    }
    const docs = await this.unitDocs
      .find(filter, { projection: HIDDEN_ID })
      .sort({ parentId: 1, unitId: 1 })
      .limit(limit + 1)
      .toArray();
    return pageOf(docs.map(decodeUnit), limit, (u) => ['', u.unitId]);
  }

  async initiative(initiativeId: string): Promise<InitiativeDoc | null> {
    return (await this.initiativeDocs.findOne({ _id: initiativeId }, { projection: HIDDEN_ID })) as InitiativeDoc | null;
  }

  async initiativesById(initiativeIds: readonly string[]): Promise<InitiativeDoc[]> {
    // One `_id` equality per document, some at once: FerretDB 1.x serves equality on `_id` by its index, `$in` by a scan.
    const docs: InitiativeDoc[] = [];
    let next = 0;
    const worker = async () => {
      while (next < initiativeIds.length) {
        const doc = await this.initiativeDocs.findOne({ _id: initiativeIds[next++] }, { projection: HIDDEN_ID });
        if (doc) docs.push(doc as unknown as InitiativeDoc);
      }
    };
    await Promise.all(Array.from({ length: LOOKUPS_AT_ONCE }, worker));
    return docs;
  }

  async initiatives(query: InitiativeQuery): Promise<Page<InitiativeDoc>> {
    const { filter, sort } = initiativesFind(query);
    const docs = (await this.initiativeDocs
      .find(filter, { projection: HIDDEN_ID })
      .sort(sort as Sort)
      .limit(query.limit + 1)
      .toArray()) as unknown as InitiativeDoc[];
    return pageOf(docs, query.limit, (d) => [initiativeSortValue(d), d.initiativeId]);
  }

  async everUnder(unitId: string): Promise<{ unitIds: string[]; initiativeIds: string[] }> {
    const [units, initiatives] = await Promise.all([
      this.unitDocs.find({ everPath: unitId }, { projection: { _id: 0, unitId: 1 } }).toArray(),
      this.initiativeDocs.find({ everUnitPath: unitId }, { projection: { _id: 0, initiativeId: 1 } }).toArray(),
    ]);
    return { unitIds: units.map((u) => u.unitId as string), initiativeIds: initiatives.map((i) => i.initiativeId as string) };
  }

  async history(query: HistoryQuery): Promise<HistoryEntry[]> {
    const prefix = `${query.programId}|${query.unitId}|`;
    const after = query.after ?? -1n;
    const found: HistoryEntry[] = [];
    let taken = after;
    const documents = this.journal.find({ _id: { $gte: prefix, $lt: `${prefix}~` }, last: { $gt: paddedPosition(after) } }).sort({ _id: 1 });
    for await (const doc of documents) {
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
    const collection = { progress: this.progressRows, units: this.unitDocs, initiatives: this.initiativeDocs, programs: this.programDocs }[kind];
    const projection = kind === 'progress' ? HIDDEN_PROGRESS_FIELDS : HIDDEN_ID;
    for await (const doc of collection.find({}, { projection })) yield (kind === 'units' ? decodeUnit(doc as StoredDoc) : doc) as unknown as StoredDocuments[K];
  }

  /** The connection belongs to the caller (several stores and the lease may share it). */
  async close(): Promise<void> {}

  /** Unordered bulk replaces with upsert, in chunks: each is idempotent, so their order does not matter. */
  private async replaceAll(collection: Collection<StoredDoc>, docs: StoredDoc[]): Promise<void> {
    for (let i = 0; i < docs.length; i += this.chunkSize) {
      const ops: AnyBulkWriteOperation<StoredDoc>[] = docs.slice(i, i + this.chunkSize).map((doc) => ({
        replaceOne: { filter: { _id: doc._id }, replacement: doc, upsert: true },
      }));
      await collection.bulkWrite(ops, { ordered: false });
    }
  }

  /**
   * The chunks go to the slot the pointer does not name, then the pointer switches: a crash while
   * writing them leaves the previous state whole.
   */
  private async saveState(state: SavedProjectionState): Promise<void> {
    const current = await this.meta.findOne({ _id: STATE_ID });
    const slot = current?.slot === 0 ? 1 : 0;
    const chunks: StoredDoc[] = [];
    for (let i = 0; i * STATE_CHUNK_CHARS < Math.max(state.body.length, 1); i++) {
      chunks.push({ _id: `${STATE_ID}:${slot}:${i}`, text: state.body.slice(i * STATE_CHUNK_CHARS, (i + 1) * STATE_CHUNK_CHARS) });
    }
    for (const chunk of chunks) await this.replaceAll(this.meta, [chunk]);
    const pointer = { _id: STATE_ID, slot, chunks: chunks.length, version: state.version, position: state.position.toString(), checksum: state.checksum };
    await this.meta.replaceOne({ _id: STATE_ID }, pointer, { upsert: true });
  }

  /**
   * `$max`: the checkpoint never goes down, even if an older write lands late. Stored as an Int64
   * (positions are 64-bit). The very first write is an upsert, which two writers could race; the
   * loser's duplicate-key error is retried once, and then matches the winner's document.
   */
  private async raiseCheckpoint(position: bigint, id: typeof CHECKPOINT_ID | typeof BULK_ID): Promise<void> {
    const update = () => this.meta.updateOne({ _id: id }, { $max: { position: Long.fromBigInt(position) } }, { upsert: true });
    try {
      await update();
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      await update();
    }
  }
}

/**
 * A duplicate-key error: code 11000 on MongoDB, and on FerretDB for inserts and inserting upserts;
 * FerretDB 1.x reports some unique-index conflicts as code 1 (InternalError) with a "duplicate
 * key" or "UNIQUE constraint failed" message.
 */
export function isDuplicateKeyError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (code === 11000 || code === 11001) return true;
  return code === 1 && typeof message === 'string' && /duplicate key|UNIQUE constraint failed/i.test(message);
}

/**
 * Creates the indexes that are missing. An index that exists under the same name with another key
 * is an error: that needs a migration (build the read models anew under another prefix), not a
 * silent mismatch.
 *
 * FerretDB 1.24 panics (and drops the connection) on a `createIndexes` of two or more indexes that
 * all exist already. So the existing ones are listed first and left alone, and on FerretDB the
 * missing ones are created one per command: an API and a projector opening the same new database
 * at once may both find an index missing, and one-index commands are safe in that race (MongoDB
 * is idempotent either way).
 */
async function ensureIndexes(collection: Collection<StoredDoc>, wanted: IndexDescription[], onFerretDb: boolean): Promise<void> {
  let existing: Document[] = [];
  try {
    existing = await collection.listIndexes().toArray();
  } catch (error) {
    if ((error as { code?: unknown }).code !== 26) throw error; // NamespaceNotFound: a new collection
  }
  const byName = new Map(existing.map((index) => [index.name as string, index.key as Document]));
  const missing = wanted.filter((index) => {
    const key = byName.get(index.name!);
    if (key === undefined) return true;
    if (JSON.stringify(key) !== JSON.stringify(index.key)) {
      throw new Error(`Index ${index.name} of ${collection.collectionName} exists with key ${JSON.stringify(key)}, not ${JSON.stringify(index.key)}`);
    }
    return false;
  });
  if (onFerretDb) for (const index of missing) await collection.createIndexes([index]);
  else if (missing.length > 0) await collection.createIndexes(missing);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function encodeQuotas(quotas: UnitDoc['quotas']): StoredQuotas[] {
  return Object.entries(quotas).map(([programId, byPhase]) => ({
    programId,
    phases: Object.entries(byPhase).map(([phaseId, quota]) => ({ phaseId, quota })),
  }));
}

function decodeUnit(doc: Document): UnitDoc {
  const quotas: UnitDoc['quotas'] = {};
  for (const entry of (doc.quotas ?? []) as StoredQuotas[]) {
    quotas[entry.programId] = Object.fromEntries(entry.phases.map((p) => [p.phaseId, p.quota]));
  }
  return { ...(doc as UnitDoc), quotas };
}

function toBigInt(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return BigInt(value);
  if (value instanceof Long) return value.toBigInt();
  if (typeof value === 'string') return BigInt(value);
  throw new Error(`Unreadable checkpoint position: ${String(value)}`);
}

/** Positions as 20 digits (an unsigned 64-bit number has at most 20), so that strings order as the numbers; -1 orders first. */
function paddedPosition(position: bigint): string {
  return position < 0n ? '' : position.toString().padStart(20, '0');
}

interface StoredJournalLine {
  phaseId: string;
  position: string;
  subtree: JournalScope | null;
  own: JournalScope | null;
}

/** A batch's journal as stored: one document per (programme, unit), its lines in log order with the events they name. */
function journalDocuments(journal: JournalChanges | undefined): StoredDoc[] {
  if (!journal || journal.lines.length === 0) return [];
  const eventAt = new Map(journal.events.map((event) => [event.position, event]));
  const byUnit = new Map<string, { lines: StoredJournalLine[]; events: Map<string, JournalEvent> }>();
  for (const line of journal.lines) {
    const key = `${line.programId}|${line.unitId}|`;
    let group = byUnit.get(key);
    if (!group) byUnit.set(key, (group = { lines: [], events: new Map() }));
    const position = line.position.toString();
    group.lines.push({ phaseId: line.phaseId, position, subtree: line.subtree, own: line.own });
    group.events.set(position, eventAt.get(position)!);
  }
  return [...byUnit].map(([key, { lines, events }]) => ({
    _id: `${key}${paddedPosition(BigInt(lines[0].position))}`,
    last: paddedPosition(BigInt(lines[lines.length - 1].position)),
    lines,
    events: [...events.values()],
  }));
}
