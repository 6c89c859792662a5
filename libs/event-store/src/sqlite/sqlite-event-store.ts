import Database from 'better-sqlite3';
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  EventStoreUnavailableError,
  StoredEvent,
  StreamAppend,
  SubscribeToAllOptions,
  Subscription,
  WrongExpectedRevisionError,
} from '../event-store.port';
import { pollingSubscription } from '../polling-subscription';
import { WalCheckpointer } from './wal-checkpointer';

/**
 * Pages of WAL past which the events' own connection checkpoints too, which rewinds the WAL. The
 * checkpointer alone never lets it rewind under a steady stream of appends (SQLite rewinds only
 * when a write begins with every frame copied, and by then the next append has added frames), and
 * a commit whose fsync also grows the file costs about 1.5×: with the read models' safety net
 * (20,000 pages) the first ~4,000 appends after a start cost 600–660 µs instead of 330–480, the
 * WAL growing to 80 MB. Once rewound, the file is written over in place. A lower threshold shortens
 * that growth but checkpoints the reorganisation's batches on this thread more often (a tenth's
 * plan applied in 27.7–30.3 s at SQLite's 1,000 pages, 24.8–27.2 s at 4,000, 26.2–26.5 s at 20,000).
 */
export const EVENTS_WAL_PAGES = 4_000;

interface Connection {
  db: Database.Database;
  statements: {
    lastRevision: Database.Statement<[string], { revision: number | null }>;
    insert: Database.Statement;
    byId: Database.Statement<[string], EventRow>;
    head: Database.Statement<[], { position: number | null }>;
  };
  appendTransaction: Database.Transaction<(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision) => AppendResult>;
  appendTogetherTransaction: Database.Transaction<(appends: readonly StreamAppend[]) => AppendResult[]>;
  /** The transaction a group of writes is committed in (see committed). */
  groupTransaction: Database.Transaction<(writeAll: () => void) => void>;
  /** Reads by their SQL: a handful of shapes (direction, a start, how many event types), each prepared once, not on every read. */
  reads: Map<string, Database.Statement<(string | number)[], EventRow>>;
}

interface PendingWrite {
  write: (connection: Connection) => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

interface EventRow {
  position: number;
  event_id: string;
  stream_id: string;
  revision: number;
  type: string;
  data: string;
  metadata: string;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS events (
    position  INTEGER PRIMARY KEY,
    event_id  TEXT    NOT NULL UNIQUE,
    stream_id TEXT    NOT NULL,
    revision  INTEGER NOT NULL,
    type      TEXT    NOT NULL,
    data      TEXT    NOT NULL,
    metadata  TEXT    NOT NULL,
    UNIQUE (stream_id, revision)
  );
`;

/**
 * The embedded event store: one SQLite file in WAL mode. Each append is one transaction; the
 * global position is the rowid, which (since rows are never deleted and only this process
 * writes) is gap-free. Durability: `synchronous = FULL`, so an acknowledged append survives a
 * power cut, not only a process crash.
 */
export class SqliteEventStore implements EventStore {
  private connection: Connection;
  private readonly appended = new EventEmitter();
  /**
   * A write failed on the machine's side (disk full, file system turned read-only, I/O error): the
   * next write first opens the file again. A file system that turned read-only under an open file
   * stays so for that file; once the volume is back (remounted, space freed), a fresh connection to
   * the same path writes again, with no restart.
   */
  private writeFailed = false;
  /** The writes asked for in this turn of the event loop, committed together at its end (see committed). */
  private pending: PendingWrite[] = [];
  /** The WAL's checkpoints, off the thread that appends (none for a store in memory). */
  private readonly checkpointer?: WalCheckpointer;

  /**
   * `checkpoints: false` for a second connection to a file whose owner already checkpoints its WAL
   * (the service's projector thread, which reads what the main thread appends).
   * @throws EventStoreUnavailableError, saying so, when the file cannot be opened or written
   */
  constructor(
    private readonly path: string,
    options: { checkpoints?: boolean } = {},
  ) {
    this.appended.setMaxListeners(0);
    this.connection = this.open(false);
    if (path !== ':memory:' && options.checkpoints !== false) this.checkpointer = new WalCheckpointer(path, { synchronous: 'FULL' });
  }

  /** Called once per committed group of appends, after their answers. */
  onAppend(listener: () => void): () => void {
    this.appended.on('append', listener);
    return () => this.appended.off('append', listener);
  }

  /** Another connection to the same file has appended: subscriptions read on at once rather than at their next idle poll. */
  appendedElsewhere(): void {
    this.appended.emit('append');
  }

  /** `existing`: the file must be there already, never created anew (a volume not yet mounted back shows an empty directory). */
  private open(existing: boolean): Connection {
    let db: Database.Database | undefined;
    try {
      if (this.path !== ':memory:' && !existing) mkdirSync(dirname(this.path), { recursive: true });
      db = new Database(this.path, { fileMustExist: existing });
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('busy_timeout = 5000');
      if (this.path !== ':memory:') db.pragma(`wal_autocheckpoint = ${EVENTS_WAL_PAGES}`);
      db.exec(SCHEMA);
      // SQLite opens a file it cannot write read-only without a word: probe with a real (no-op) write,
      // so that a store that cannot take commands stops the start instead of failing every command.
      db.pragma(`user_version = ${Number(db.pragma('user_version', { simple: true }))}`);
    } catch (error) {
      if (db?.open) db.close();
      throw new EventStoreUnavailableError(
        `The event store ${this.path} cannot be opened for writing (${(error as { code?: string }).code ?? 'error'}: ${(error as Error).message}); ` +
          'check that the file and its directory exist or can be created, are writable by this process, and that the disk has space',
        error,
      );
    }
    const statements = {
      lastRevision: db.prepare<[string], { revision: number | null }>('SELECT MAX(revision) AS revision FROM events WHERE stream_id = ?'),
      insert: db.prepare('INSERT INTO events (event_id, stream_id, revision, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)'),
      byId: db.prepare<[string], EventRow>('SELECT * FROM events WHERE event_id = ?'),
      head: db.prepare<[], { position: number | null }>('SELECT MAX(position) AS position FROM events'),
    };
    const appendOne = (streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): AppendResult => {
      const last = statements.lastRevision.get(streamId)?.revision ?? null;
      const actual = last === null ? ('no_stream' as const) : BigInt(last);
      const repeat = findRepeatedAppend(statements.byId, streamId, events);
      if (repeat === 'partial') throw new WrongExpectedRevisionError(streamId, expected, actual);
      if (repeat) return repeat;
      if (!expectationHolds(expected, actual)) {
        throw new WrongExpectedRevisionError(streamId, expected, actual);
      }
      let revision = last ?? -1;
      let position = 0;
      for (const event of events) {
        revision += 1;
        const info = statements.insert.run(event.id, streamId, revision, event.type, event.json?.data ?? JSON.stringify(event.data), event.json?.metadata ?? JSON.stringify(event.metadata));
        position = Number(info.lastInsertRowid);
      }
      return { nextExpectedRevision: BigInt(revision), position: BigInt(position) };
    };
    return {
      db,
      statements,
      appendTransaction: db.transaction(appendOne),
      appendTogetherTransaction: db.transaction((appends: readonly StreamAppend[]) => appends.map(({ streamId, events, expected }) => appendOne(streamId, events, expected))),
      groupTransaction: db.transaction((writeAll: () => void) => writeAll()),
      reads: new Map(),
    };
  }

  /** Every write: one transaction, after a fresh connection if the last write failed on the machine's side. */
  private write<T>(act: (connection: Connection) => T): T {
    if (this.writeFailed) this.reconnect();
    try {
      return unavailableOnEnvironmentErrors(() => act(this.connection));
    } catch (error) {
      // An in-memory store has no file to open again.
      if (error instanceof EventStoreUnavailableError && this.path !== ':memory:') this.writeFailed = true;
      throw error;
    }
  }

  /** @throws EventStoreUnavailableError while the file still cannot be written; the old connection then stays, for reads */
  private reconnect(): void {
    const fresh = this.open(true);
    const old = this.connection;
    this.connection = fresh;
    this.writeFailed = false;
    try {
      old.db.close();
    } catch {
      // Its file system may have gone read-only or away: the handle is dropped either way.
    }
  }

  append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    if (events.length === 0) return Promise.reject(new Error('append needs at least one event'));
    return this.committed((connection) => connection.appendTransaction.immediate(streamId, events, expected));
  }

  appendTogether(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    if (appends.some((part) => part.events.length === 0)) return Promise.reject(new Error('append needs at least one event'));
    return this.committed((connection) => connection.appendTogetherTransaction.immediate(appends));
  }

  /**
   * Group commit: the appends asked for in one turn of the event loop are written in one
   * transaction, each in a savepoint of its own, so that one fsync makes them all durable. Each is
   * answered as if it had been alone (one refused on its expectation leaves the others written);
   * a failure of the machine's (a full disk, an I/O error) fails them all, and none is written. The
   * fsync blocks this thread: under 200 commands a second at national scale, one per command took a
   * third of the thread's time and the service fell behind its load.
   */
  private committed<T>(write: (connection: Connection) => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.pending.push({ write, resolve: resolve as (value: unknown) => void, reject }) === 1) setImmediate(() => this.commitPending());
    });
  }

  private commitPending(): void {
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    const outcomes: ({ value: unknown } | { error: unknown })[] = [];
    try {
      this.write((connection) => {
        // Alone, a write's own transaction is the commit: no savepoint to pay for.
        if (batch.length === 1) outcomes.push({ value: batch[0]!.write(connection) });
        else
          connection.groupTransaction.immediate(() => {
            for (const { write } of batch) {
              try {
                // Inside the group's transaction, each write's own transaction is a savepoint.
                outcomes.push({ value: write(connection) });
              } catch (error) {
                if (isEnvironmentError(error)) throw error;
                outcomes.push({ error });
              }
            }
          });
      });
    } catch (error) {
      for (const { reject } of batch) reject(error);
      return;
    }
    batch.forEach(({ resolve, reject }, i) => {
      const outcome = outcomes[i]!;
      if ('error' in outcome) reject(outcome.error);
      else resolve(outcome.value);
    });
    this.appended.emit('append');
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision;
    const clauses = ['stream_id = ?'];
    const params: (string | number)[] = [streamId];
    if (from !== undefined) {
      clauses.push(backwards ? 'revision <= ?' : 'revision >= ?');
      params.push(Number(from));
    }
    params.push(options.maxCount ?? -1);
    const rows = this.read(`SELECT * FROM events WHERE ${clauses.join(' AND ')} ORDER BY revision ${backwards ? 'DESC' : 'ASC'} LIMIT ?`).all(...params);
    return rows.map(toStoredEvent);
  }

  /**
   * A few hundred streams per query (one index seek each), with a turn of the event loop between
   * queries: a stream read per query cost more in the call than in the rows, and a province's tens
   * of thousands of streams read at once would hold the service up for seconds.
   */
  async readStreams(streamIds: readonly string[]): Promise<StoredEvent[]> {
    const STREAMS_PER_READ = 500;
    const ids = [...new Set(streamIds)];
    const rows: EventRow[] = [];
    for (let i = 0; i < ids.length; i += STREAMS_PER_READ) {
      if (i > 0) await new Promise((resolve) => setImmediate(resolve));
      for (const row of this.read('SELECT * FROM events WHERE stream_id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids.slice(i, i + STREAMS_PER_READ)))) rows.push(row);
    }
    return rows.sort((a, b) => a.position - b.position).map(toStoredEvent);
  }

  async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    const params: (string | number)[] = [Number(options.after ?? 0n)];
    let typeClause = '';
    if (options.eventTypes) {
      if (options.eventTypes.length === 0) return [];
      typeClause = ` AND type IN (${options.eventTypes.map(() => '?').join(',')})`;
      params.push(...options.eventTypes);
    }
    params.push(options.maxCount ?? -1);
    const rows = this.read(`SELECT * FROM events WHERE position > ?${typeClause} ORDER BY position LIMIT ?`).all(...params);
    return rows.map(toStoredEvent);
  }

  private read(sql: string): Database.Statement<(string | number)[], EventRow> {
    const { db, reads } = this.connection;
    let statement = reads.get(sql);
    if (!statement) reads.set(sql, (statement = db.prepare<(string | number)[], EventRow>(sql)));
    return statement;
  }

  subscribeToAll(options: SubscribeToAllOptions): Subscription {
    return pollingSubscription(this, options, (wake) => this.onAppend(wake));
  }

  async headPosition(): Promise<bigint> {
    return BigInt(this.connection.statements.head.get()?.position ?? 0);
  }

  async close(): Promise<void> {
    this.appended.removeAllListeners();
    // An append asked for before the close is written, not dropped with the connection.
    this.commitPending();
    await this.checkpointer?.close();
    if (this.connection.db.open) this.connection.db.close();
  }
}

/**
 * EventStoreDB answers a repeat of an append (the same event ids, in the same stream, in the same
 * order) with the first append's result. Event ids are unique in this store, so any other use of
 * a known id is refused like a stale revision rather than failing on the unique index.
 */
function findRepeatedAppend(byId: Database.Statement<[string], EventRow>, streamId: string, events: readonly NewEvent[]): AppendResult | 'partial' | undefined {
  const found = events.map((event) => byId.get(event.id));
  if (found.every((row) => row === undefined)) return undefined;
  const first = found[0];
  const exact = first !== undefined && found.every((row, i) => row !== undefined && row.stream_id === streamId && row.revision === first.revision + i);
  if (!exact) return 'partial';
  const last = found[found.length - 1]!;
  return { nextExpectedRevision: BigInt(last.revision), position: BigInt(last.position) };
}

/**
 * SQLite's result codes for conditions of the machine, not of the request: a full disk, a file
 * system that turned read-only, an I/O error, a lock held too long. The transaction was rolled back.
 */
const ENVIRONMENT_ERRORS = /^SQLITE_(FULL|READONLY|IOERR|CANTOPEN|BUSY|LOCKED|NOMEM|PERM)/;

function isEnvironmentError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && ENVIRONMENT_ERRORS.test(code);
}

function unavailableOnEnvironmentErrors<T>(act: () => T): T {
  try {
    return act();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (isEnvironmentError(error)) {
      throw new EventStoreUnavailableError(`The event store cannot be written right now (${code}: ${(error as Error).message})`, error);
    }
    throw error;
  }
}

/** Whether an append's expectation holds on a stream whose last revision is `actual`. */
export function expectationHolds(expected: ExpectedRevision, actual: bigint | 'no_stream'): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return actual === 'no_stream';
    case 'stream_exists':
      return actual !== 'no_stream';
    default:
      return actual === expected;
  }
}

function toStoredEvent(row: EventRow): StoredEvent {
  return {
    id: row.event_id,
    type: row.type,
    streamId: row.stream_id,
    revision: BigInt(row.revision),
    position: BigInt(row.position),
    data: JSON.parse(row.data) as Record<string, unknown>,
    metadata: JSON.parse(row.metadata) as StoredEvent['metadata'],
  };
}
