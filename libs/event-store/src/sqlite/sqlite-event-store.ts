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
  private readonly db: Database.Database;
  private readonly appended = new EventEmitter();
  private readonly statements;
  private readonly appendTransaction;
  private readonly appendTogetherTransaction;

  /** @throws EventStoreUnavailableError, saying so, when the file cannot be opened or written */
  constructor(path: string) {
    try {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      this.db = new Database(path);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
      this.db.pragma('busy_timeout = 5000');
      this.db.exec(SCHEMA);
      // SQLite opens a file it cannot write read-only without a word: probe with a real (no-op) write,
      // so that a store that cannot take commands stops the start instead of failing every command.
      this.db.pragma(`user_version = ${Number(this.db.pragma('user_version', { simple: true }))}`);
    } catch (error) {
      throw new EventStoreUnavailableError(
        `The event store ${path} cannot be opened for writing (${(error as { code?: string }).code ?? 'error'}: ${(error as Error).message}); ` +
          'check that the file and its directory exist or can be created, are writable by this process, and that the disk has space',
        error,
      );
    }
    this.appended.setMaxListeners(0);
    this.statements = {
      lastRevision: this.db.prepare<[string], { revision: number | null }>(
        'SELECT MAX(revision) AS revision FROM events WHERE stream_id = ?',
      ),
      insert: this.db.prepare(
        'INSERT INTO events (event_id, stream_id, revision, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      byId: this.db.prepare<[string], EventRow>('SELECT * FROM events WHERE event_id = ?'),
      head: this.db.prepare<[], { position: number | null }>('SELECT MAX(position) AS position FROM events'),
    };
    const appendOne = (streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): AppendResult => {
      const last = this.statements.lastRevision.get(streamId)?.revision ?? null;
      const actual = last === null ? ('no_stream' as const) : BigInt(last);
      const repeat = this.findRepeatedAppend(streamId, events);
      if (repeat === 'partial') throw new WrongExpectedRevisionError(streamId, expected, actual);
      if (repeat) return repeat;
      if (!expectationHolds(expected, actual)) {
        throw new WrongExpectedRevisionError(streamId, expected, actual);
      }
      let revision = last ?? -1;
      let position = 0;
      for (const event of events) {
        revision += 1;
        const info = this.statements.insert.run(event.id, streamId, revision, event.type, JSON.stringify(event.data), JSON.stringify(event.metadata));
        position = Number(info.lastInsertRowid);
      }
      return { nextExpectedRevision: BigInt(revision), position: BigInt(position) };
    };
    this.appendTransaction = this.db.transaction(appendOne);
    this.appendTogetherTransaction = this.db.transaction((appends: readonly StreamAppend[]) =>
      appends.map(({ streamId, events, expected }) => appendOne(streamId, events, expected)),
    );
  }

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    if (events.length === 0) throw new Error('append needs at least one event');
    const result = unavailableOnEnvironmentErrors(() => this.appendTransaction.immediate(streamId, events, expected));
    this.appended.emit('append');
    return result;
  }

  async appendTogether(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    if (appends.some((part) => part.events.length === 0)) throw new Error('append needs at least one event');
    const results = unavailableOnEnvironmentErrors(() => this.appendTogetherTransaction.immediate(appends));
    this.appended.emit('append');
    return results;
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
    const rows = this.db
      .prepare<(string | number)[], EventRow>(
        `SELECT * FROM events WHERE ${clauses.join(' AND ')} ORDER BY revision ${backwards ? 'DESC' : 'ASC'} LIMIT ?`,
      )
      .all(...params);
    return rows.map(toStoredEvent);
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
    const rows = this.db
      .prepare<(string | number)[], EventRow>(
        `SELECT * FROM events WHERE position > ?${typeClause} ORDER BY position LIMIT ?`,
      )
      .all(...params);
    return rows.map(toStoredEvent);
  }

  subscribeToAll(options: SubscribeToAllOptions): Subscription {
    return pollingSubscription(this, options, (wake) => {
      this.appended.on('append', wake);
      return () => this.appended.off('append', wake);
    });
  }

  async headPosition(): Promise<bigint> {
    return BigInt(this.statements.head.get()?.position ?? 0);
  }

  async close(): Promise<void> {
    this.appended.removeAllListeners();
    if (this.db.open) this.db.close();
  }

  /**
   * EventStoreDB answers a repeat of an append (the same event ids, in the same stream, in the same
   * order) with the first append's result. Event ids are unique in this store, so any other use of
   * a known id is refused like a stale revision rather than failing on the unique index.
   */
  private findRepeatedAppend(streamId: string, events: readonly NewEvent[]): AppendResult | 'partial' | undefined {
    const found = events.map((event) => this.statements.byId.get(event.id));
    if (found.every((row) => row === undefined)) return undefined;
    const first = found[0];
    const exact = first !== undefined && found.every((row, i) => row !== undefined && row.stream_id === streamId && row.revision === first.revision + i);
    if (!exact) return 'partial';
    const last = found[found.length - 1]!;
    return { nextExpectedRevision: BigInt(last.revision), position: BigInt(last.position) };
  }
}

/**
 * SQLite's result codes for conditions of the machine, not of the request: a full disk, a file
 * system that turned read-only, an I/O error, a lock held too long. The transaction was rolled back.
 */
const ENVIRONMENT_ERRORS = /^SQLITE_(FULL|READONLY|IOERR|CANTOPEN|BUSY|LOCKED|NOMEM|PERM)/;

function unavailableOnEnvironmentErrors<T>(act: () => T): T {
  try {
    return act();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && ENVIRONMENT_ERRORS.test(code)) {
      throw new EventStoreUnavailableError(`The event store cannot be written right now (${code}: ${(error as Error).message})`, error);
    }
    throw error;
  }
}

function expectationHolds(expected: ExpectedRevision, actual: bigint | 'no_stream'): boolean {
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
