import Database from 'better-sqlite3';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { localDateOf } from '@app/domain';
import { WalCheckpointer } from '@app/event-store';
import { HistoryQuery, JournalEvent, JournalLine, JournalScope } from '../../audit/history-journal';
import { HistoryEntry } from '../../audit/unit-history';
import { foldDiacritics } from '../../initiatives/fold-diacritics';
import { InitiativeDoc } from '../../initiatives/initiative-doc';
import { ProgressRow } from '../../progress/progress-row';
import { ProgramDoc } from '../../programs/program-doc';
import { ProjectionChanges } from '../../projection/read-model-projections';
import { SavedProjectionState } from '../../projection/projection-state';
import { UnitDoc } from '../../units/unit-doc';
import { checkCursorValue, decodeCursor, pageOf } from '../cursor';
import { InitiativeQuery } from '../../initiatives/initiative-queries.port';
import { ProgressQuery } from '../../progress/progress-queries.port';
import { Page } from '../page';
import { ReadModelStore } from '../read-model-store.port';
import { StoredDocumentKind, StoredDocuments, StoredInitiativeKey } from '../stored-documents.port';
import { initiativeSortValue, isDescending, progressSortValue } from '../sort-keys';
import { PROGRESS_SORT_COLUMNS, readModelIndexStatements, readModelSchema, readModelTables } from './sqlite-read-model-schema';

type Params = (string | number | null)[];
/** What a write of an initiative compares with: its row's listed columns, and the ever path its document holds. */
interface StoredInitiativeRow {
  rid: number;
  program_id: string;
  unit_id: string;
  status: string;
  phase_id: string | null;
  submitted_at: string;
  unit_path: string;
  search_text: string;
  ever_path: string | null;
}
const CHECKPOINT_KEY = 'checkpoint' as const;
const STATE_KEY = 'state';
const BULK_KEY = 'bulk-load' as const;
/** Ids per `IN (…)` lookup (SQLite binds at most 32,766 parameters). */
const IDS_PER_LOOKUP = 500;
/** Rows per read when streaming every document: the connection is free between pages for the projector's writes. */
const DOCUMENTS_PAGE = 1000;
/** Documents (rows, journal lines included) written per transaction of a large write: a few milliseconds each, so that requests wait no longer. */
const DOCUMENTS_PER_TRANSACTION = 50;
/**
 * Pages of WAL past which a read models' connection still checkpoints by itself: only should the
 * checkpointer's thread fail or fall far behind. Their commits do not fsync, so a WAL growing
 * until then costs them little (unlike the events', see EVENTS_WAL_PAGES).
 */
const READ_MODELS_WAL_PAGES = 20_000;
/** Matches of a word beyond which its rows are not fetched as a set (see fewestMatches). */
const SEARCH_PROBE = 2000;

/** A progress row's columns beside its document: what its queries filter and sort on. */
const PROGRESS_COLUMNS = ['parent_id', 'kind', 'finished_early', 'attainment', 'counted', 'excess', 'reached'] as const;
type ProgressColumn = (typeof PROGRESS_COLUMNS)[number];

function progressColumnValues(row: ProgressRow): (string | number | null)[] {
  return [row.parentId, row.kind, row.finishedEarly ? 1 : 0, progressSortValue(row, 'attainmentPercent'), row.counted, row.excess, progressSortValue(row, 'reachedQuotaOn')];
}

/**
 * The read models in SQLite (the embedded default): indexed tables in a file beside the events,
 * so that memory holds what queries touch, not the whole programme. The checkpoint is written in
 * the transaction of a write's last documents: after a crash it is never ahead of them (see `write`).
 *
 * The store does not own the connection (generations share it): `close()` leaves it open.
 */
export class SqliteReadModelStore implements ReadModelStore {
  private readonly t;
  private readonly statements;
  /** Documents, then (when given) the checkpoint and state, in one transaction. */
  private readonly writeTransaction: (changes: ProjectionChanges, position?: bigint, state?: SavedProjectionState) => void;
  private readonly indexes;
  /** In a bulk load the secondary indexes, the subtree, search and ever-under tables wait for its end. */
  private bulk: boolean;
  private readonly progressUpdates = new Map<number, Database.Statement<Params>>();

  constructor(
    private readonly db: Database.Database,
    prefix = '',
  ) {
    this.t = readModelTables(prefix);
    this.indexes = readModelIndexStatements(prefix);
    db.exec(readModelSchema(prefix));
    const t = this.t;
    this.statements = {
      checkpoint: db.prepare<[string], { value: string }>(`SELECT value FROM ${t.meta} WHERE key = ?`),
      setMeta: db.prepare(`INSERT INTO ${t.meta} (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`),
      putProgress: db.prepare<Params>(
        `INSERT OR REPLACE INTO ${t.progress} (program_id, unit_id, phase_id, ${PROGRESS_COLUMNS.join(', ')}, doc) VALUES (?, ?, ?, ${PROGRESS_COLUMNS.map(() => '?').join(', ')}, ?)`,
      ),
      progressColumns: db.prepare<[string, string, string], Record<ProgressColumn, string | number | null>>(
        `SELECT ${PROGRESS_COLUMNS.join(', ')} FROM ${t.progress} WHERE program_id = ? AND unit_id = ? AND phase_id = ?`,
      ),
      putUnit: db.prepare(`INSERT OR REPLACE INTO ${t.units} (unit_id, parent_id, doc) VALUES (?, ?, ?)`),
      putProgram: db.prepare(`INSERT OR REPLACE INTO ${t.programs} (program_id, doc) VALUES (?, ?)`),
      everUnder: db.prepare(`INSERT OR IGNORE INTO ${t.everUnder} (ancestor_id, kind, id) VALUES (?, ?, ?)`),
      initiativeRow: db.prepare<[string], StoredInitiativeRow>(
        `SELECT rid, program_id, unit_id, status, phase_id, submitted_at, unit_path, search_text, json_extract(doc, '$.everUnitPath') AS ever_path
         FROM ${t.initiatives} WHERE initiative_id = ?`,
      ),
      insertInitiative: db.prepare(
        `INSERT INTO ${t.initiatives} (initiative_id, program_id, unit_id, status, phase_id, submitted_at, unit_path, search_text, doc)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      updateInitiative: db.prepare(
        `UPDATE ${t.initiatives} SET program_id = ?, unit_id = ?, status = ?, phase_id = ?, submitted_at = ?, unit_path = ?, search_text = ?, doc = ? WHERE rid = ?`,
      ),
      // SQLite rewrites only the indexes of the columns an UPDATE sets: these leave the five of the list's scopes alone.
      updateInitiativeDocument: db.prepare(`UPDATE ${t.initiatives} SET unit_path = ?, search_text = ?, doc = ? WHERE rid = ?`),
      deleteUnder: db.prepare(`DELETE FROM ${t.initiativeUnder} WHERE unit_id = ? AND submitted_at = ? AND initiative_id = ?`),
      insertUnder: db.prepare(`INSERT OR IGNORE INTO ${t.initiativeUnder} (unit_id, submitted_at, initiative_id) VALUES (?, ?, ?)`),
      deleteSearch: db.prepare(`DELETE FROM ${t.initiativeSearch} WHERE rowid = ?`),
      insertSearch: db.prepare(`INSERT INTO ${t.initiativeSearch} (rowid, search_text) VALUES (?, ?)`),
      program: db.prepare<[string], { doc: string }>(`SELECT doc FROM ${t.programs} WHERE program_id = ?`),
      unit: db.prepare<[string], { doc: string }>(`SELECT doc FROM ${t.units} WHERE unit_id = ?`),
      initiative: db.prepare<[string], { doc: string }>(`SELECT doc FROM ${t.initiatives} WHERE initiative_id = ?`),
      unitProgress: db.prepare<[string, string], { doc: string }>(`SELECT doc FROM ${t.progress} WHERE program_id = ? AND unit_id = ? ORDER BY phase_id`),
      everUnderIds: db.prepare<[string, string], { id: string }>(`SELECT id FROM ${t.everUnder} WHERE ancestor_id = ? AND kind = ? ORDER BY id`),
      searchProbe: db.prepare<[string, number], { rowid: number }>(`SELECT rowid FROM ${t.initiativeSearch} WHERE search_text GLOB ? LIMIT ?`),
      putJournalLine: db.prepare(`INSERT OR REPLACE INTO ${t.journal} (program_id, unit_id, phase_id, position, subtree, own) VALUES (?, ?, ?, ?, ?, ?)`),
      stageJournalLine: db.prepare(`INSERT INTO ${t.journalStaged} (program_id, unit_id, phase_id, position, subtree, own) VALUES (?, ?, ?, ?, ?, ?)`),
      putJournalEvent: db.prepare(`INSERT OR REPLACE INTO ${t.journalEvents} (position, recorded_on, event) VALUES (?, ?, ?)`),
      historySubtree: historyStatement(db, t, 'subtree'),
      historyOwn: historyStatement(db, t, 'own'),
      upsertInitiative: db.prepare(
        `INSERT INTO ${t.initiatives} (initiative_id, program_id, unit_id, status, phase_id, submitted_at, unit_path, search_text, doc)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (initiative_id) DO UPDATE SET program_id = excluded.program_id, unit_id = excluded.unit_id, status = excluded.status,
           phase_id = excluded.phase_id, submitted_at = excluded.submitted_at, unit_path = excluded.unit_path, search_text = excluded.search_text, doc = excluded.doc`,
      ),
    };
    this.bulk = this.statements.checkpoint.get(BULK_KEY) !== undefined;
    if (!this.bulk) db.exec(this.indexes.map((index) => index.sql).join(';\n'));
    // Immediate: a deferred transaction that reads before it writes fails at once (SQLITE_BUSY, no
    // waiting) when another connection to the file wrote in between, as a reader's heartbeat does.
    const writeTransaction = db.transaction((changes: ProjectionChanges, position?: bigint, state?: SavedProjectionState) => {
      for (const row of changes.progress) this.putProgress(row);
      for (const unit of changes.units) this.putUnit(unit);
      for (const doc of changes.initiatives) this.putInitiative(doc);
      for (const program of changes.programs) this.statements.putProgram.run(program.programId, JSON.stringify(program));
      const putJournalLine = this.bulk ? this.statements.stageJournalLine : this.statements.putJournalLine;
      for (const line of changes.journal?.lines ?? []) {
        const scope = (s: JournalLine['subtree']) => (s === null ? null : JSON.stringify(s));
        putJournalLine.run(line.programId, line.unitId, line.phaseId, line.position, scope(line.subtree), scope(line.own));
      }
      for (const event of changes.journal?.events ?? []) this.statements.putJournalEvent.run(BigInt(event.position), localDateOf(event.recordedAt), JSON.stringify(event));
      if (position === undefined) return;
      const key = this.bulk ? BULK_KEY : CHECKPOINT_KEY;
      if (position > this.readPosition(key)) this.statements.setMeta.run(key, position.toString());
      if (state) {
        const { body, ...about } = state;
        this.statements.setMeta.run(STATE_KEY, JSON.stringify({ ...about, position: state.position.toString() }));
        this.statements.setMeta.run(`${STATE_KEY}.body`, body);
      }
    });
    this.writeTransaction = (changes, position, state) => writeTransaction.immediate(changes, position, state);
  }

  /** A store in its own file (or `:memory:`), owning the connection. */
  static open(path: string, prefix = ''): SqliteReadModelStore {
    const file = openReadModelDatabase(path);
    const store = new SqliteReadModelStore(file.db, prefix);
    store.close = () => file.close();
    return store;
  }

  async checkpoint(): Promise<bigint> {
    return this.readCheckpoint();
  }

  /**
   * A large write (a move re-renders every initiative below the unit) goes in transactions of
   * `DOCUMENTS_PER_TRANSACTION` documents with a turn of the event loop between them, so that
   * queries and commands are answered meanwhile; the checkpoint and state go with the last one. A
   * crash in between leaves the old checkpoint with some documents already rewritten: whole
   * documents, which the projector's replay of the batch writes again the same. A bulk load, which
   * nobody reads, writes in one transaction: parts would write the same pages many times.
   */
  async write(changes: ProjectionChanges, position: bigint, state?: SavedProjectionState): Promise<void> {
    const parts = this.bulk ? [changes] : [...partsOf(changes, DOCUMENTS_PER_TRANSACTION)];
    for (const part of parts.slice(0, -1)) {
      this.writeTransaction(part);
      await nextTurn();
    }
    this.writeTransaction(parts[parts.length - 1], position, state);
  }

  async savedState(): Promise<SavedProjectionState | null> {
    const about = this.statements.checkpoint.get(STATE_KEY);
    const body = this.statements.checkpoint.get(`${STATE_KEY}.body`);
    if (!about || !body) return null;
    const { version, position, checksum } = JSON.parse(about.value) as { version: string; position: string; checksum: string };
    return { version, position: BigInt(position), checksum, body: body.value };
  }

  async bulkLoading(): Promise<bigint | null> {
    return this.bulk ? this.readPosition(BULK_KEY) : null;
  }

  /** Writing rows into tables without secondary indexes, then indexing once, is several times cheaper than keeping 25 indexes current. */
  async beginBulkLoad(): Promise<void> {
    const t = this.t;
    this.db.transaction(() => {
      for (const index of this.indexes) this.db.exec(`DROP INDEX IF EXISTS ${index.name}`);
      this.db.exec(`DELETE FROM ${t.initiativeUnder}; DELETE FROM ${t.initiativeSearch}; DELETE FROM ${t.everUnder}`);
      this.statements.setMeta.run(BULK_KEY, this.readCheckpoint().toString());
    }).immediate();
    this.bulk = true;
  }

  /** The indexes and the derived tables, from the documents as they stand, in one transaction. */
  async endBulkLoad(): Promise<void> {
    const t = this.t;
    this.db.transaction(() => {
      this.db.exec(this.indexes.map((index) => index.sql).join(';\n'));
      this.db.exec(`DELETE FROM ${t.initiativeUnder}; DELETE FROM ${t.initiativeSearch}; DELETE FROM ${t.everUnder}`);
      // In key order: taken in the initiatives' order, each row landed on a random page of a table too large for the page cache (at national scale 39 s instead of 14).
      this.db.exec(`INSERT OR IGNORE INTO ${t.initiativeUnder} (unit_id, submitted_at, initiative_id) SELECT p.value, i.submitted_at, i.initiative_id FROM ${t.initiatives} i, json_each(i.unit_path) p ORDER BY 1, 2, 3`);
      this.db.exec(`INSERT INTO ${t.initiativeSearch} (rowid, search_text) SELECT rid, search_text FROM ${t.initiatives}`);
      this.db.exec(`INSERT OR IGNORE INTO ${t.everUnder} (ancestor_id, kind, id) SELECT p.value, 'initiative', i.initiative_id FROM ${t.initiatives} i, json_each(i.doc, '$.everUnitPath') p ORDER BY 1, 2, 3`);
      this.db.exec(`INSERT OR IGNORE INTO ${t.everUnder} (ancestor_id, kind, id) SELECT p.value, 'unit', u.unit_id FROM ${t.units} u, json_each(u.doc, '$.everPath') p ORDER BY 1, 2, 3`);
      // A crash's replay stages some lines twice, the same each time: the last one stands, as it would have.
      this.db.exec(
        `INSERT OR REPLACE INTO ${t.journal} (program_id, unit_id, phase_id, position, subtree, own)
         SELECT program_id, unit_id, phase_id, position, subtree, own FROM ${t.journalStaged} ORDER BY program_id, unit_id, phase_id, position, rowid;
         DELETE FROM ${t.journalStaged}`,
      );
      const reached = this.readPosition(BULK_KEY);
      if (reached > this.readCheckpoint()) this.statements.setMeta.run(CHECKPOINT_KEY, reached.toString());
      this.db.prepare(`DELETE FROM ${t.meta} WHERE key = ?`).run(BULK_KEY);
    }).immediate();
    this.db.pragma('optimize');
    this.bulk = false;
  }

  async program(programId: string): Promise<ProgramDoc | null> {
    return parsed(this.statements.program.get(programId));
  }

  async progress(query: ProgressQuery): Promise<Page<ProgressRow>> {
    const where = ['program_id = ?', 'phase_id = ?'];
    const params: Params = [query.programId, query.phaseId];
    if (query.parentId !== undefined) where.push('parent_id = ?') && params.push(query.parentId);
    if (query.kind !== undefined) where.push('kind = ?') && params.push(query.kind);
    if (query.finishedEarly !== undefined) where.push('finished_early = ?') && params.push(query.finishedEarly ? 1 : 0);
    const column = PROGRESS_SORT_COLUMNS[query.sort];
    const descending = isDescending(query.sort);
    const after = decodeCursor(query.cursor);
    if (after) {
      checkCursorValue(after, column === null ? 'empty' : column === 'reached' ? 'string' : 'number');
      if (column === null) where.push('unit_id > ?') && params.push(after[1]);
      else {
        // The first bound lets the index seek; the second breaks ties by id.
        const [bound, strict] = descending ? ['<=', '<'] : ['>=', '>'];
        where.push(`${column} ${bound} ? AND (${column} ${strict} ? OR unit_id > ?)`);
        params.push(after[0], after[0], after[1]);
      }
    }
    const order = column === null ? 'unit_id' : `${column} ${descending ? 'DESC' : 'ASC'}, unit_id`;
    const rows = this.db
      .prepare<Params, { doc: string }>(`SELECT doc FROM ${this.t.progress} WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ?`)
      .all(...params, query.limit + 1)
      .map((r) => JSON.parse(r.doc) as ProgressRow);
    return pageOf(rows, query.limit, (r) => [progressSortValue(r, query.sort), r.unitId]);
  }

  async unitProgress(programId: string, unitId: string): Promise<ProgressRow[]> {
    return this.statements.unitProgress.all(programId, unitId).map((r) => JSON.parse(r.doc) as ProgressRow);
  }

  async unit(unitId: string): Promise<UnitDoc | null> {
    return parsed(this.statements.unit.get(unitId));
  }

  async children(unitId: string, limit: number, cursor?: string): Promise<Page<UnitDoc>> {
    const after = decodeCursor(cursor);
    if (after) checkCursorValue(after, 'empty');
    const units = this.db
      .prepare<Params, { doc: string }>(`SELECT doc FROM ${this.t.units} WHERE parent_id = ? AND unit_id > ? ORDER BY unit_id LIMIT ?`)
      .all(unitId, after ? after[1] : '', limit + 1)
      .map((r) => JSON.parse(r.doc) as UnitDoc);
    return pageOf(units, limit, (u) => ['', u.unitId]);
  }

  async initiative(initiativeId: string): Promise<InitiativeDoc | null> {
    return parsed(this.statements.initiative.get(initiativeId));
  }

  async initiativesById(initiativeIds: readonly string[]): Promise<InitiativeDoc[]> {
    const docs: InitiativeDoc[] = [];
    for (let i = 0; i < initiativeIds.length; i += IDS_PER_LOOKUP) {
      const ids = initiativeIds.slice(i, i + IDS_PER_LOOKUP);
      const rows = this.db.prepare<string[], { doc: string }>(`SELECT doc FROM ${this.t.initiatives} WHERE initiative_id IN (${ids.map(() => '?').join(', ')})`).all(...ids);
      for (const row of rows) docs.push(JSON.parse(row.doc) as InitiativeDoc);
    }
    return docs;
  }

  async initiatives(query: InitiativeQuery): Promise<Page<InitiativeDoc>> {
    const subtree = query.unitId !== undefined && query.subtree === true;
    // A subtree list walks the (unit, newest) index of the units' paths; others the initiatives' own.
    const from = subtree ? `${this.t.initiativeUnder} u JOIN ${this.t.initiatives} i ON i.initiative_id = u.initiative_id` : `${this.t.initiatives} i`;
    const order = subtree ? 'u.submitted_at DESC, u.initiative_id DESC' : 'i.submitted_at DESC, i.initiative_id DESC';
    const where: string[] = [];
    const params: Params = [];
    if (query.programId !== undefined) where.push('i.program_id = ?') && params.push(query.programId);
    if (query.unitId !== undefined) where.push(subtree ? 'u.unit_id = ?' : 'i.unit_id = ?') && params.push(query.unitId);
    if (query.status !== undefined) where.push('i.status = ?') && params.push(query.status);
    if (query.phaseId !== undefined) where.push('i.phase_id = ?') && params.push(query.phaseId);
    const words = query.q ? foldDiacritics(query.q).split(' ').filter(Boolean) : [];
    if (words.length > 0) {
      const few = this.fewestMatches(words);
      if (few) where.push(`i.rid IN (${few.map(() => '?').join(', ')})`) && params.push(...few);
      for (const word of words) where.push('i.search_text GLOB ?') && params.push(`*${escapeGlob(word)}*`);
    }
    const after = decodeCursor(query.cursor);
    if (after) {
      checkCursorValue(after, 'string');
      where.push(subtree ? '(u.submitted_at, u.initiative_id) < (?, ?)' : '(i.submitted_at, i.initiative_id) < (?, ?)');
      params.push(after[0], after[1]);
    }
    const docs = this.db
      .prepare<Params, { doc: string }>(`SELECT i.doc FROM ${from} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order} LIMIT ?`)
      .all(...params, query.limit + 1)
      .map((r) => JSON.parse(r.doc) as InitiativeDoc);
    return pageOf(docs, query.limit, (d) => [initiativeSortValue(d), d.initiativeId]);
  }

  /**
   * The rows of the rarest word, when some word is rare: a word in a few thousand initiatives is
   * answered from the trigram index, then sorted. A word in most of them (every title says "sáng
   * kiến") would make that set the whole table: then the list walks its order's index and checks
   * each row's text until the page is full, which stops early precisely because matches are dense.
   * Words under 3 letters have no trigram and are only checked row by row.
   */
  private fewestMatches(words: readonly string[]): number[] | undefined {
    let fewest: number[] | undefined;
    for (const word of words.filter((w) => [...w].length >= 3)) {
      const rids = this.statements.searchProbe.all(`*${escapeGlob(word)}*`, SEARCH_PROBE).map((r) => r.rowid);
      if (rids.length < SEARCH_PROBE && (!fewest || rids.length < fewest.length)) fewest = rids;
    }
    return fewest;
  }

  async history(query: HistoryQuery): Promise<HistoryEntry[]> {
    const statement = query.subtree ? this.statements.historySubtree : this.statements.historyOwn;
    const rows = statement.all(query.programId, query.unitId, query.phaseId, query.after ?? -1n, query.from ?? '', query.to ?? '9999-12-31', query.limit);
    return rows.map((row) => ({ ...(JSON.parse(row.event) as JournalEvent), ...(JSON.parse(row.scope) as JournalScope) }));
  }

  async everUnder(unitId: string): Promise<{ unitIds: string[]; initiativeIds: string[] }> {
    return {
      unitIds: this.statements.everUnderIds.all(unitId, 'unit').map((r) => r.id),
      initiativeIds: this.statements.everUnderIds.all(unitId, 'initiative').map((r) => r.id),
    };
  }

  async *documents<K extends StoredDocumentKind>(kind: K): AsyncIterable<StoredDocuments[K]> {
    const table = { progress: this.t.progress, units: this.t.units, initiatives: this.t.initiatives, programs: this.t.programs }[kind];
    const key = { progress: ['program_id', 'unit_id', 'phase_id'], units: ['unit_id'], initiatives: ['rid'], programs: ['program_id'] }[kind];
    const columns = key.join(', ');
    const first = this.db.prepare<[], Record<string, string | number>>(`SELECT doc, ${columns} FROM ${table} ORDER BY ${columns} LIMIT ${DOCUMENTS_PAGE}`);
    const next = this.db.prepare<Params, Record<string, string | number>>(
      `SELECT doc, ${columns} FROM ${table} WHERE (${columns}) > (${key.map(() => '?').join(', ')}) ORDER BY ${columns} LIMIT ${DOCUMENTS_PAGE}`,
    );
    let rows = first.all();
    for (;;) {
      for (const row of rows) yield JSON.parse(row.doc as string) as StoredDocuments[K];
      if (rows.length < DOCUMENTS_PAGE) return;
      const last = rows[rows.length - 1];
      rows = next.all(...key.map((column) => last[column]));
    }
  }

  async *initiativeKeys(): AsyncIterable<StoredInitiativeKey> {
    const page = this.db.prepare<[number], { rid: number; initiativeId: string; unitId: string }>(
      `SELECT rid, initiative_id AS initiativeId, unit_id AS unitId FROM ${this.t.initiatives} WHERE rid > ? ORDER BY rid LIMIT ${DOCUMENTS_PAGE}`,
    );
    for (let after = Number.MIN_SAFE_INTEGER; ; ) {
      const rows = page.all(after);
      for (const { initiativeId, unitId } of rows) yield { initiativeId, unitId };
      if (rows.length < DOCUMENTS_PAGE) return;
      after = rows[rows.length - 1].rid;
    }
  }

  async close(): Promise<void> {}

  private readCheckpoint(): bigint {
    return this.readPosition(CHECKPOINT_KEY);
  }

  private readPosition(key: typeof CHECKPOINT_KEY | typeof BULK_KEY): bigint {
    const row = this.statements.checkpoint.get(key);
    return row ? BigInt(row.value) : 0n;
  }

  /**
   * Outside a bulk load, a row already stored is updated in the columns whose values changed, and
   * its document: SQLite rewrites the entries of every index naming a column the statement sets,
   * changed or not, and a progress row has 17 secondary indexes while most events (a submission, a
   * member count) change none of its sort values. Writing them all made a live flush ~10× the WAL.
   */
  private putProgress(row: ProgressRow): void {
    const values = progressColumnValues(row);
    const doc = JSON.stringify(row);
    const key = [row.programId, row.unitId, row.phaseId] as const;
    if (this.bulk) {
      this.statements.putProgress.run(...key, ...values, doc);
      return;
    }
    const stored = this.statements.progressColumns.get(...key);
    if (!stored) {
      this.statements.putProgress.run(...key, ...values, doc);
      return;
    }
    let changed = 0;
    PROGRESS_COLUMNS.forEach((column, i) => {
      if (stored[column] !== values[i]) changed |= 1 << i;
    });
    this.progressUpdate(changed).run(...values.filter((_, i) => changed & (1 << i)), doc, ...key);
  }

  /** The update of these columns (a bit each, in PROGRESS_COLUMNS order) and the document: prepared once per set. */
  private progressUpdate(changed: number): Database.Statement<Params> {
    let statement = this.progressUpdates.get(changed);
    if (!statement) {
      const set = [...PROGRESS_COLUMNS.filter((_, i) => changed & (1 << i)), 'doc'].map((column) => `${column} = ?`).join(', ');
      statement = this.db.prepare<Params>(`UPDATE ${this.t.progress} SET ${set} WHERE program_id = ? AND unit_id = ? AND phase_id = ?`);
      this.progressUpdates.set(changed, statement);
    }
    return statement;
  }

  /** Ever paths only grow (a unit or initiative stays in the histories of everything it was ever under). */
  private putUnit(unit: UnitDoc): void {
    this.statements.putUnit.run(unit.unitId, unit.parentId, JSON.stringify(unit));
    if (this.bulk) return;
    for (const ancestor of unit.everPath) this.statements.everUnder.run(ancestor, 'unit', unit.unitId);
  }

  /**
   * What a write costs follows what changed: the list indexes only when a listed column did, the
   * subtree table only for the ancestors gained or lost, the ever-under table only for the ones
   * gained, the search index only for a new text. A unit's move then rewrites its initiatives'
   * documents and a few rows each, not every index they are in.
   */
  private putInitiative(doc: InitiativeDoc): void {
    const s = this.statements;
    const path = JSON.stringify(doc.unitPath);
    const json = JSON.stringify(doc);
    const fields = [doc.programId, doc.unitId, doc.status, doc.phaseId, doc.submittedAt, path, doc.searchText, json] as const;
    if (this.bulk) {
      s.upsertInitiative.run(doc.initiativeId, ...fields);
      return;
    }
    const old = s.initiativeRow.get(doc.initiativeId);
    if (!old) {
      const rid = Number(s.insertInitiative.run(doc.initiativeId, ...fields).lastInsertRowid);
      for (const unitId of doc.unitPath) s.insertUnder.run(unitId, doc.submittedAt, doc.initiativeId);
      s.insertSearch.run(rid, doc.searchText);
      for (const ancestor of doc.everUnitPath) s.everUnder.run(ancestor, 'initiative', doc.initiativeId);
      return;
    }
    const listed = old.program_id === doc.programId && old.unit_id === doc.unitId && old.status === doc.status && old.phase_id === doc.phaseId && old.submitted_at === doc.submittedAt;
    if (listed) s.updateInitiativeDocument.run(path, doc.searchText, json, old.rid);
    else s.updateInitiative.run(...fields, old.rid);
    if (old.unit_path !== path || old.submitted_at !== doc.submittedAt) {
      const oldPath = JSON.parse(old.unit_path) as string[];
      const kept = old.submitted_at === doc.submittedAt ? new Set(oldPath.filter((unitId) => doc.unitPath.includes(unitId))) : new Set<string>();
      for (const unitId of oldPath) if (!kept.has(unitId)) s.deleteUnder.run(unitId, old.submitted_at, doc.initiativeId);
      for (const unitId of doc.unitPath) if (!kept.has(unitId)) s.insertUnder.run(unitId, doc.submittedAt, doc.initiativeId);
    }
    if (old.search_text !== doc.searchText) {
      s.deleteSearch.run(old.rid);
      s.insertSearch.run(old.rid, doc.searchText);
    }
    const everBefore = new Set(old.ever_path === null ? [] : (JSON.parse(old.ever_path) as string[]));
    for (const ancestor of doc.everUnitPath) if (!everBefore.has(ancestor)) s.everUnder.run(ancestor, 'initiative', doc.initiativeId);
  }
}

/** A read models' file as this process holds it: its connection, and (for a file) the thread that checkpoints its WAL. */
export interface ReadModelDatabase {
  db: Database.Database;
  close(): Promise<void>;
}

/**
 * WAL with `synchronous = NORMAL`: a transaction is atomic and survives a process crash; a power
 * cut may lose the last ones, documents and checkpoint together, which the projector redoes from
 * the log. The WAL is checkpointed off the thread (see WalCheckpointer).
 */
export function openReadModelDatabase(path: string, options: { checkpoints?: boolean } = {}): ReadModelDatabase {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  if (path !== ':memory:') db.pragma(`wal_autocheckpoint = ${READ_MODELS_WAL_PAGES}`);
  // `checkpoints: false`: a second connection to a file whose owner already runs the checkpointer (see SqliteGenerations).
  const checkpointer = path === ':memory:' || options.checkpoints === false ? undefined : new WalCheckpointer(path, { synchronous: 'NORMAL' });
  return {
    db,
    async close() {
      await checkpointer?.close();
      db.close();
    },
  };
}

/** The changes in parts of at most `size` documents, in the order they are written; at least one part, perhaps empty. */
function* partsOf(changes: ProjectionChanges, size: number): Generator<ProjectionChanges> {
  const journal = changes.journal ?? { lines: [], events: [] };
  const lists = [changes.progress, changes.units, changes.initiatives, changes.programs, journal.lines, journal.events];
  const total = lists.reduce((n, list) => n + list.length, 0);
  if (total <= size) {
    yield changes;
    return;
  }
  for (let from = 0; from < total; from += size) {
    // Each list's share of the documents [from, from + size) of the lists laid end to end.
    let offset = 0;
    const [progress, units, initiatives, programs, lines, events] = lists.map((list) => {
      const part = list.slice(Math.max(0, from - offset), Math.max(0, from + size - offset));
      offset += list.length;
      return part;
    }) as [ProjectionChanges['progress'], ProjectionChanges['units'], ProjectionChanges['initiatives'], ProjectionChanges['programs'], typeof journal.lines, typeof journal.events];
    yield { progress, units, initiatives, programs, journal: { lines, events } };
  }
}

function parsed<T>(row: { doc: string } | undefined): T | null {
  return row ? (JSON.parse(row.doc) as T) : null;
}

/** GLOB wildcards taken literally: each inside a bracket of its own. */
function escapeGlob(word: string): string {
  return word.replace(/[*?[]/g, (c) => `[${c}]`);
}

/** A page of the journal for one scope: its lines in position order, each with its event, within the recording dates. */
function historyStatement(db: Database.Database, t: ReturnType<typeof readModelTables>, scope: 'subtree' | 'own') {
  return db.prepare<[string, string, string, bigint, string, string, number], { scope: string; event: string }>(
    `SELECT j.${scope} AS scope, e.event FROM ${t.journal} j JOIN ${t.journalEvents} e ON e.position = j.position
     WHERE j.program_id = ? AND j.unit_id = ? AND j.phase_id = ? AND j.position > ? AND j.${scope} IS NOT NULL
       AND e.recorded_on >= ? AND e.recorded_on <= ?
     ORDER BY j.position LIMIT ?`,
  );
}
