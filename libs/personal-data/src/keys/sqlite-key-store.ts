import Database from 'better-sqlite3';
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataKeyRecord, KeyStore, KeyUse } from './key-store.port';

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
`;

/**
 * The embedded key store: its own SQLite file, readable only by the service's user. A destroyed
 * key must leave no copy behind: `secure_delete` overwrites freed cells, and a truncating WAL
 * checkpoint after each destruction leaves no old page image in the write-ahead log.
 */
export class SqliteKeyStore implements KeyStore {
  private readonly db: Database.Database;
  private readonly statements;
  private readonly destroyTransaction;
  private readonly saveTransaction;

  constructor(path: string) {
    if (path !== ':memory:') {
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
      use: this.db.prepare('INSERT OR IGNORE INTO key_uses (key_id, stream_id) VALUES (?, ?)'),
      streams: this.db.prepare<[string], { stream_id: string }>('SELECT stream_id FROM key_uses WHERE key_id = ? ORDER BY stream_id'),
      deleteKey: this.db.prepare('DELETE FROM data_keys WHERE key_id = ?'),
      deleteUses: this.db.prepare('DELETE FROM key_uses WHERE key_id = ?'),
    };
    this.saveTransaction = this.db.transaction((records: readonly DataKeyRecord[], uses: readonly KeyUse[]) => {
      for (const record of records) this.statements.insert.run(record.keyId, record.subject, record.wrappedKey);
      const kept = new Map<string, DataKeyRecord>();
      for (const { subject } of [...records, ...uses]) {
        if (kept.has(subject)) continue;
        const row = this.statements.bySubject.get(subject);
        if (row) kept.set(subject, { keyId: row.key_id, subject, wrappedKey: row.wrapped_key });
      }
      for (const use of uses) {
        const key = kept.get(use.subject);
        if (key) this.statements.use.run(key.keyId, use.streamId);
      }
      return kept;
    });
    this.destroyTransaction = this.db.transaction((keyIds: readonly string[]) => {
      for (const keyId of keyIds) {
        this.statements.deleteKey.run(keyId);
        this.statements.deleteUses.run(keyId);
      }
    });
  }

  async findBySubject(subject: string): Promise<DataKeyRecord | undefined> {
    const row = this.statements.bySubject.get(subject);
    return row && { keyId: row.key_id, subject: row.subject, wrappedKey: row.wrapped_key };
  }

  async save(records: readonly DataKeyRecord[], uses: readonly KeyUse[]): Promise<Map<string, DataKeyRecord>> {
    return this.saveTransaction.immediate(records, uses);
  }

  async wrappedKeys(keyIds: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    // SQLite binds at most 32,766 parameters; rebuild batches stay far below, but chunk anyway.
    for (let i = 0; i < keyIds.length; i += 1000) {
      const chunk = keyIds.slice(i, i + 1000);
      const rows = this.db
        .prepare<string[], { key_id: string; wrapped_key: string }>(`SELECT key_id, wrapped_key FROM data_keys WHERE key_id IN (${chunk.map(() => '?').join(',')})`)
        .all(...chunk);
      for (const row of rows) found.set(row.key_id, row.wrapped_key);
    }
    return found;
  }

  async streamsOf(keyId: string): Promise<string[]> {
    return this.statements.streams.all(keyId).map((row) => row.stream_id);
  }

  async destroy(keyIds: readonly string[]): Promise<void> {
    this.destroyTransaction(keyIds);
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
