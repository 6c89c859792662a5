import Database from 'better-sqlite3';
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { KeyObject } from 'node:crypto';
import { DataKeyRecord, KeyStore, KeyUse, SpareKey, spareSubject } from './key-store.port';
import { KeyStoreWorker, MadeSpare } from './key-store-worker';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS data_keys (
    key_id      TEXT PRIMARY KEY,
    subject     TEXT NOT NULL UNIQUE,
    wrapped_key TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS key_uses (
    key_id    TEXT NOT NULL,
    stream_id TEXT NOT NULL,
    PRIMARY KEY (key_id, stream_id)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS recovery (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    position TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS destructions (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    count INTEGER NOT NULL
  );
`;

/**
 * The embedded key store: its own SQLite file, readable only by the service's user. A destroyed
 * key must leave no copy behind: `secure_delete` overwrites freed cells, and a truncating WAL
 * checkpoint after each destruction leaves no old page image in the write-ahead log.
 *
 * Durability without a write per command: keys are written durably before use (`addSpares`, one
 * fsync per batch); who got which key, and which streams use it (`save`), is held in memory and
 * written (without waiting for the disk: see `flush`) with the next batch, within `FLUSH_MS`, or
 * before anything reads it whole (an access listing, a destruction, closing). Each of those writes
 * also records the position of the last append this process made: everything up to it is kept.
 * What a crash loses after it is in the log itself (each sealed value names its key, and decrypts
 * to whom it belongs), so the next start derives it again from the events after that position
 * (see `PersonalDataCodec.recover`).
 *
 * With a file, those writes are the worker's (see KeyStoreWorker), one at a time: this thread
 * only reads, and writes itself only when the worker fails, or to destroy keys.
 *
 * One process writes (as the embedded event store has one writer): the in-memory assignments are
 * what makes a person's key unique, so a second writer sharing the file would not see them.
 * Destroying keys counts the destructions in the file, in the same transaction (see
 * `destructions`): any process reading the file learns cheaply that a key it remembers may be gone.
 */
export class SqliteKeyStore implements KeyStore {
  private readonly db: Database.Database;
  private readonly statements;
  private readonly destroyTransaction;
  private readonly flushTransaction;
  private readonly byKeyCount = new Map<number, Database.Statement<string[], { key_id: string; wrapped_key: string }>>();
  /** Assignments and uses not written yet, by subject and by `keyId NUL streamId`. */
  private readonly pendingKeys = new Map<string, DataKeyRecord>();
  private readonly pendingUses = new Map<string, { keyId: string; streamId: string }>();
  /** Those the worker is writing (one write at a time): still this store's to answer until it has. */
  private writingKeys = new Map<string, DataKeyRecord>();
  private writingUses = new Map<string, { keyId: string; streamId: string }>();
  /** The last write handed to the worker, settled (its failure is its caller's). */
  private writes: Promise<void> = Promise.resolve();
  private lastAppended: bigint | undefined;
  private keptAppended: bigint | undefined;
  private flushTimer: NodeJS.Timeout | undefined;
  private rowsSinceCheckpoint = 0;
  private readonly inMemory: boolean;
  /** A file's spare keys and checkpoints are made in a worker thread; an in-memory database has no file a worker could open. */
  private readonly worker?: KeyStoreWorker;
  readonly makeSpares?: (count: number, wrapping: KeyObject) => Promise<MadeSpare[]>;

  constructor(path: string) {
    this.inMemory = path === ':memory:';
    if (!this.inMemory) {
      mkdirSync(dirname(path), { recursive: true });
      closeSync(openSync(path, 'a', 0o600));
      chmodSync(path, 0o600);
    }
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('secure_delete = ON');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    this.statements = {
      bySubject: this.db.prepare<[string], { key_id: string; subject: string; wrapped_key: string }>('SELECT * FROM data_keys WHERE subject = ?'),
      insert: this.db.prepare('INSERT OR IGNORE INTO data_keys (key_id, subject, wrapped_key) VALUES (?, ?, ?)'),
      // A racing process that gave the subject another key wins (unique subject): ours stays spare.
      assign: this.db.prepare('UPDATE OR IGNORE data_keys SET subject = ? WHERE key_id = ? AND subject = ?'),
      use: this.db.prepare('INSERT OR IGNORE INTO key_uses (key_id, stream_id) VALUES (?, ?)'),
      streams: this.db.prepare<[string], { stream_id: string }>('SELECT stream_id FROM key_uses WHERE key_id = ? ORDER BY stream_id'),
      deleteKey: this.db.prepare('DELETE FROM data_keys WHERE key_id = ?'),
      deleteUses: this.db.prepare('DELETE FROM key_uses WHERE key_id = ?'),
      recoveryPoint: this.db.prepare<[], { position: string }>('SELECT position FROM recovery WHERE id = 1'),
      destructions: this.db.prepare<[], number>('SELECT count FROM destructions WHERE id = 1').pluck(),
      counted: this.db.prepare('INSERT INTO destructions (id, count) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET count = count + 1'),
      keep: this.db.prepare('INSERT INTO recovery (id, position) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET position = excluded.position'),
    };
    this.flushTransaction = this.db.transaction((spares: readonly SpareKey[]) => {
      for (const spare of spares) this.statements.insert.run(spare.keyId, spareSubject(spare.keyId), spare.wrappedKey);
      // What the worker is writing too: the position kept below must not cover assignments that are not in the file.
      for (const keys of [this.writingKeys, this.pendingKeys]) for (const record of keys.values()) this.statements.assign.run(record.subject, record.keyId, spareSubject(record.keyId));
      for (const uses of [this.writingUses, this.pendingUses]) for (const use of uses.values()) this.statements.use.run(use.keyId, use.streamId);
      const appended = this.lastAppended;
      if (appended !== undefined && appended !== this.keptAppended) this.statements.keep.run(appended.toString());
      return appended;
    });
    this.destroyTransaction = this.db.transaction((keyIds: readonly string[]) => {
      for (const keyId of keyIds) {
        this.statements.deleteKey.run(keyId);
        this.statements.deleteUses.run(keyId);
      }
      this.statements.counted.run();
    });
    if (!this.inMemory) {
      const worker = (this.worker = new KeyStoreWorker(path, spareSubject('')));
      this.makeSpares = (count, wrapping) => worker.make(count, wrapping);
      // The checkpoints go to the worker too (see flush): this thread never waits for the disk but to destroy a key.
      this.db.pragma('wal_autocheckpoint = 0');
    }
  }

  async findBySubject(subject: string): Promise<DataKeyRecord | undefined> {
    return this.held(subject) ?? this.stored(subject);
  }

  /** An assignment not in the file yet. */
  private held(subject: string): DataKeyRecord | undefined {
    return this.pendingKeys.get(subject) ?? this.writingKeys.get(subject);
  }

  /**
   * How many destructions the file has seen, by any process: read in one indexed look-up, so that a
   * reader remembering keys asks the store for them again only when it has grown (see
   * PersonalDataCodec).
   */
  destructions(): number {
    return this.statements.destructions.get() ?? 0;
  }

  private stored(subject: string): DataKeyRecord | undefined {
    const row = this.statements.bySubject.get(subject);
    return row && { keyId: row.key_id, subject: row.subject, wrappedKey: row.wrapped_key };
  }

  async addSpares(keys: readonly SpareKey[]): Promise<void> {
    if (this.worker) await this.write(keys);
    else this.flush(keys);
  }

  async save(records: readonly DataKeyRecord[], uses: readonly KeyUse[]): Promise<Map<string, DataKeyRecord>> {
    const kept = new Map<string, DataKeyRecord>();
    for (const record of records) {
      // Not the file again: the caller looked there just before, and this process is its one writer.
      const held = kept.get(record.subject) ?? this.held(record.subject);
      if (held) kept.set(record.subject, held);
      else {
        this.pendingKeys.set(record.subject, record);
        kept.set(record.subject, record);
      }
    }
    for (const { subject, streamId } of uses) {
      const key = kept.get(subject) ?? this.held(subject) ?? this.stored(subject);
      if (!key) continue;
      kept.set(subject, key);
      this.pendingUses.set(`${key.keyId}\u0000${streamId}`, { keyId: key.keyId, streamId });
    }
    this.flushSoon();
    return kept;
  }

  async recoveryPoint(): Promise<bigint | undefined> {
    // In memory, nothing outlives the process: there is nothing a crash could have kept from it.
    if (this.inMemory) return undefined;
    // A file without the row was written before this record existed (or never kept anything): derive from the start.
    return BigInt(this.statements.recoveryPoint.get()?.position ?? 0);
  }

  appended(position: bigint): void {
    if (this.lastAppended === undefined || position > this.lastAppended) this.lastAppended = position;
    this.flushSoon();
  }

  async wrappedKeys(keyIds: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    // SQLite binds at most 32,766 parameters; rebuild batches stay far below, but chunk anyway.
    for (let i = 0; i < keyIds.length; i += MAX_IDS_PER_QUERY) {
      const chunk = keyIds.slice(i, i + MAX_IDS_PER_QUERY);
      const size = Math.min(MAX_IDS_PER_QUERY, 2 ** Math.ceil(Math.log2(chunk.length)));
      // The unused places are bound to '', which no key id is.
      for (const row of this.byKeys(size).all(...chunk, ...Array<string>(size - chunk.length).fill(''))) found.set(row.key_id, row.wrapped_key);
    }
    return found;
  }

  /** One statement per power-of-two count of ids: a handful prepared once, not one per read. */
  private byKeys(size: number): Database.Statement<string[], { key_id: string; wrapped_key: string }> {
    let statement = this.byKeyCount.get(size);
    if (!statement) {
      statement = this.db.prepare<string[], { key_id: string; wrapped_key: string }>(`SELECT key_id, wrapped_key FROM data_keys WHERE key_id IN (${Array<string>(size).fill('?').join(',')})`);
      this.byKeyCount.set(size, statement);
    }
    return statement;
  }

  async streamsOf(keyId: string): Promise<string[]> {
    await this.flushed();
    return this.statements.streams.all(keyId).map((row) => row.stream_id);
  }

  async destroy(keyIds: readonly string[]): Promise<void> {
    await this.flushed();
    // The truncating checkpoint must not meet the worker's writes (a batch of spares, a checkpoint).
    await this.worker?.idle();
    this.destroyTransaction(keyIds);
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    await this.flushed();
    await this.worker?.close();
    this.flush();
    this.db.close();
  }

  /** Everything held so far is in the file: written by the worker, or by this thread if the worker failed. */
  private async flushed(): Promise<void> {
    if (this.worker) {
      try {
        await this.write();
        return;
      } catch {
        // Written here instead, below (with whatever the worker may be writing again meanwhile).
      }
    }
    this.flush();
  }

  /**
   * Hands what `save` holds (and `spares`, durably) to the worker, after its previous write: one
   * write at a time, so that a failed one is back in memory before the next is made up, and a
   * position is never written before the assignments it covers.
   */
  private write(spares: readonly SpareKey[] = []): Promise<void> {
    const written = this.writes.then(() => this.writeNow(spares));
    this.writes = written.catch(() => undefined);
    return written;
  }

  private async writeNow(spares: readonly SpareKey[]): Promise<void> {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const appended = this.lastAppended;
    if (spares.length === 0 && this.pendingKeys.size === 0 && this.pendingUses.size === 0 && appended === this.keptAppended) return;
    const keys = (this.writingKeys = new Map(this.pendingKeys));
    const uses = (this.writingUses = new Map(this.pendingUses));
    this.pendingKeys.clear();
    this.pendingUses.clear();
    const records: string[] = [];
    for (const { subject, keyId } of keys.values()) records.push(subject, keyId);
    const used: string[] = [];
    for (const { keyId, streamId } of uses.values()) used.push(keyId, streamId);
    try {
      await this.worker!.write(records, used, appended === this.keptAppended ? undefined : appended?.toString(), spares);
      if (appended !== undefined && (this.keptAppended === undefined || appended > this.keptAppended)) this.keptAppended = appended;
    } catch (error) {
      // Kept for the next write; and were it never written, the next start derives it from the log.
      for (const [subject, record] of keys) if (!this.pendingKeys.has(subject)) this.pendingKeys.set(subject, record);
      for (const [id, use] of uses) this.pendingUses.set(id, use);
      throw error;
    } finally {
      this.writingKeys = new Map();
      this.writingUses = new Map();
    }
    this.rowsWritten(spares.length + keys.size + uses.size);
  }

  /**
   * Writes what `save` holds (and any spares), with the last append's position, in one transaction.
   * Spares wait for the disk (an event may be sealed under one as soon as this returns); the rest
   * need not: the log holds it too, and a WAL that loses its tail loses a whole number of
   * transactions, the recovery point with them, so recovery starts early enough to find them.
   */
  private flush(spares: readonly SpareKey[] = []): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (spares.length === 0 && this.pendingKeys.size === 0 && this.pendingUses.size === 0 && this.writingKeys.size === 0 && this.writingUses.size === 0 && this.lastAppended === this.keptAppended) return;
    const durable = spares.length > 0;
    if (!durable) this.db.pragma('synchronous = NORMAL');
    try {
      this.keptAppended = this.flushTransaction.immediate(spares);
    } finally {
      if (!durable) this.db.pragma('synchronous = FULL');
    }
    const rows = spares.length + this.pendingKeys.size + this.pendingUses.size + this.writingKeys.size + this.writingUses.size;
    this.pendingKeys.clear();
    this.pendingUses.clear();
    this.rowsWritten(rows);
  }

  private rowsWritten(rows: number): void {
    this.rowsSinceCheckpoint += rows;
    if (this.worker && this.rowsSinceCheckpoint >= CHECKPOINT_ROWS) {
      this.rowsSinceCheckpoint = 0;
      this.worker.checkpoint().catch(() => {
        // Were the worker gone, the WAL must still not grow without bound: checkpointed here instead (or after the next rows).
        try {
          if (this.db.open) this.db.pragma('wal_checkpoint(PASSIVE)');
        } catch {
          // The next checkpoint copies these pages too.
        }
      });
    }
  }

  private flushSoon(): void {
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      if (this.worker) {
        // A failed write is back in memory for the next one.
        this.write().catch(() => undefined);
        return;
      }
      try {
        this.flush();
      } catch {
        // Kept for the next flush; and were it never written, the next start derives it from the log.
      }
    }, FLUSH_MS);
    // A pending write never keeps the process alive: close() writes it, and a crash leaves it to recovery.
    this.flushTimer.unref();
  }
}

/** How long an assignment waits in memory at most while the service is busy with other things. */
const FLUSH_MS = 200;
/** Rows this thread writes between two checkpoints (SQLite's own default is every 1000 pages). */
const CHECKPOINT_ROWS = 2000;
const MAX_IDS_PER_QUERY = 1024;
