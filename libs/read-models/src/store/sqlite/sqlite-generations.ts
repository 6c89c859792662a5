import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { LivePointer, ReadModelGenerations } from '../generations.port';
import { RebuildQueue } from '../rebuild-queue.port';
import { ReadModelStore } from '../read-model-store.port';
import { openReadModelDatabase, ReadModelDatabase, SqliteReadModelStore } from './sqlite-read-model-store';

interface PointerRow {
  generation: number;
  version: number;
  rebuild_requested: number;
  rebuild: string | null;
}

const GENERATION_PREFIX = /^g(\d+)_/;

/**
 * Generations in one SQLite file (the embedded default, `data/read-models.db` beside the events):
 * each generation's tables carry the prefix `g<n>_`, one pointer row names the live one. The switch
 * is one row update; dropping a generation drops its tables.
 */
export class SqliteGenerations implements ReadModelGenerations, RebuildQueue {
  private readonly db: Database.Database;
  private readonly file: ReadModelDatabase;
  private readonly stores = new Map<number, SqliteReadModelStore>();

  /** `checkpoints: false`: another connection (the service's main thread) checkpoints this file's WAL. */
  constructor(
    path: string,
    private readonly name = 'progress',
    options: { checkpoints?: boolean } = {},
  ) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.file = openReadModelDatabase(path, options);
    this.db = this.file.db;
    this.db.exec(
      `CREATE TABLE IF NOT EXISTS read_model_pointer (
        name TEXT PRIMARY KEY, generation INTEGER, version INTEGER, rebuild_requested INTEGER NOT NULL DEFAULT 0, rebuild TEXT
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS read_model_readers (
        name TEXT NOT NULL, reader TEXT NOT NULL, generation INTEGER NOT NULL, seen_at INTEGER NOT NULL, PRIMARY KEY (name, reader)
      ) WITHOUT ROWID`,
    );
    this.db.prepare('INSERT OR IGNORE INTO read_model_pointer (name) VALUES (?)').run(this.name);
  }

  async live(): Promise<LivePointer | null> {
    const row = this.pointer();
    return row.generation === null ? null : { generation: row.generation, version: row.version };
  }

  async open(generation: number): Promise<ReadModelStore> {
    let store = this.stores.get(generation);
    if (!store) this.stores.set(generation, (store = new SqliteReadModelStore(this.db, `g${generation}_`)));
    return store;
  }

  async makeLive(pointer: LivePointer): Promise<void> {
    this.db.prepare('UPDATE read_model_pointer SET generation = ?, version = ? WHERE name = ?').run(pointer.generation, pointer.version, this.name);
  }

  async drop(generation: number): Promise<void> {
    this.stores.delete(generation);
    const tables = this.tableNames().filter((name) => name.startsWith(`g${generation}_`));
    // Virtual tables come first and take their FTS5 shadow tables with them.
    this.db.transaction(() => {
      for (const name of tables) if (this.tableNames().includes(name)) this.db.exec(`DROP TABLE IF EXISTS "${name}"`);
    }).immediate();
  }

  async list(): Promise<number[]> {
    const generations = new Set<number>();
    for (const name of this.tableNames()) {
      const match = GENERATION_PREFIX.exec(name);
      if (match) generations.add(Number(match[1]));
    }
    return [...generations].sort((a, b) => a - b);
  }

  /** Never waits for another connection's write (the projector thread's batch): busy, it is not recorded this time. */
  async reading(reader: string, generation: number): Promise<boolean> {
    const wait = this.db.pragma('busy_timeout', { simple: true }) as number;
    this.db.pragma('busy_timeout = 0');
    try {
      this.db
        .prepare('INSERT INTO read_model_readers (name, reader, generation, seen_at) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET generation = excluded.generation, seen_at = excluded.seen_at')
        .run(this.name, reader, generation, Date.now());
      return true;
    } catch (error) {
      if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY')) return false;
      throw error;
    } finally {
      this.db.pragma(`busy_timeout = ${wait}`);
    }
  }

  async left(reader: string): Promise<void> {
    this.db.prepare('DELETE FROM read_model_readers WHERE name = ? AND reader = ?').run(this.name, reader);
  }

  async generationsRead(withinMs: number): Promise<number[]> {
    const since = Date.now() - withinMs;
    this.db.prepare('DELETE FROM read_model_readers WHERE name = ? AND seen_at < ?').run(this.name, since);
    return this.db
      .prepare<[string], { generation: number }>('SELECT DISTINCT generation FROM read_model_readers WHERE name = ? ORDER BY generation')
      .all(this.name)
      .map((r) => r.generation);
  }

  async requestRebuild(): Promise<void> {
    this.db.prepare('UPDATE read_model_pointer SET rebuild_requested = 1 WHERE name = ?').run(this.name);
  }

  async takeRebuildRequest(): Promise<boolean> {
    return this.db.prepare('UPDATE read_model_pointer SET rebuild_requested = 0 WHERE name = ? AND rebuild_requested = 1').run(this.name).changes === 1;
  }

  async publishRebuild(status: unknown): Promise<void> {
    this.db.prepare('UPDATE read_model_pointer SET rebuild = ? WHERE name = ?').run(JSON.stringify(status), this.name);
  }

  async publishedRebuild(): Promise<unknown> {
    const { rebuild } = this.pointer();
    return rebuild === null ? null : JSON.parse(rebuild);
  }

  async close(): Promise<void> {
    await this.file.close();
  }

  private pointer(): PointerRow {
    return this.db.prepare<[string], PointerRow>('SELECT generation, version, rebuild_requested, rebuild FROM read_model_pointer WHERE name = ?').get(this.name)!;
  }

  private tableNames(): string[] {
    return this.db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY sql LIKE 'CREATE VIRTUAL%' DESC, name")
      .all()
      .map((r) => r.name);
  }
}
