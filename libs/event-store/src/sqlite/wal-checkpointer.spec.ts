import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVENTS_WAL_PAGES, SqliteEventStore } from './sqlite-event-store';
import { WalCheckpointer } from './wal-checkpointer';

const dir = mkdtempSync(join(tmpdir(), 'wal-checkpointer-'));

/** A file whose writer never checkpoints by itself, with 2 MB written into its WAL. */
function writtenIntoWal(name: string): { db: Database.Database; path: string } {
  const path = join(dir, name);
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('wal_autocheckpoint = 0');
  db.exec('CREATE TABLE t (v BLOB)');
  const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < 500; i++) insert.run(Buffer.alloc(4096, i));
  })();
  return { db, path };
}

async function fileSizeAfter(ms: number, path: string): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return statSync(path).size;
}

describe('the WAL checkpointed from a thread of its own', () => {
  it('copies what the writer put in the WAL into the file, with the writer never checkpointing', async () => {
    const { db, path } = writtenIntoWal('checkpointed.db');
    // Left alone, the WAL stays out of the file.
    expect(await fileSizeAfter(300, path)).toBeLessThan(100_000);
    const checkpointer = new WalCheckpointer(path, { synchronous: 'NORMAL', everyMs: 50 });
    try {
      expect(await fileSizeAfter(1000, path)).toBeGreaterThan(2_000_000);
      // The writer goes on meanwhile, and its rows are all there.
      db.prepare('INSERT INTO t (v) VALUES (?)').run(Buffer.alloc(10));
      expect(db.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 501 });
    } finally {
      await checkpointer.close();
      db.close();
    }
  });

  it('leaves the embedded event store a WAL that starts again under a steady stream of appends', async () => {
    const path = join(dir, 'events.db');
    const store = new SqliteEventStore(path);
    try {
      // One transaction per append, as commands write: a few pages each, 3,000 in a row.
      for (let i = 0; i < 3000; i++) await store.append(`initiative-${i}`, [{ id: randomUUID(), type: 'Noted', data: { i, text: 'x'.repeat(300) }, metadata: { actor: 'test', recordedAt: '2026-12-02T00:00:00.000Z', correlationId: 'c', schemaVersion: 1 } }], 'no_stream');
      const pages = statSync(`${path}-wal`).size / (4096 + 24);
      expect(pages).toBeGreaterThan(EVENTS_WAL_PAGES / 2);
      // Never rewound, it would hold every append's pages (about 11,000): its threshold, and a margin for a checkpoint that met the checkpointer's.
      expect(pages).toBeLessThan(1.5 * EVENTS_WAL_PAGES);
    } finally {
      await store.close();
    }
  });

  it('says once, not at every tick, that it cannot checkpoint', async () => {
    const errors: string[] = [];
    const checkpointer = new WalCheckpointer(join(dir, 'never-created.db'), { synchronous: 'NORMAL', everyMs: 20, onError: (message) => errors.push(message) });
    try {
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(/unable to open database file|does not exist/i);
    } finally {
      await checkpointer.close();
    }
  });
});
