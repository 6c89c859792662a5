import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@app/event-store';
import type { RawRow as Row } from '../bench/raw-sqlite';
import { describeIntegrity } from './integrity.e2e';

const path = join(mkdtempSync(join(tmpdir(), 'integrity-e2e-')), 'events.db');
/** Another connection to the service's file, as `sqlite3 events.db` would be. */
const withFile = <T>(work: (db: Database.Database) => T): T => {
  const db = new Database(path);
  try {
    return work(db);
  } finally {
    db.close();
  }
};
const row = (db: Database.Database, stream: string, revision: number) => db.prepare<[string, number], Row>('SELECT * FROM events WHERE stream_id = ? AND revision = ?').get(stream, revision)!;
const restore = (original: Row) => async () =>
  withFile((db) => {
    db.prepare('DELETE FROM events WHERE position = ?').run(original.position);
    db.prepare('INSERT INTO events (position, event_id, stream_id, revision, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      original.position, original.event_id, original.stream_id, original.revision, original.type, original.data, original.metadata,
    );
  });

describeIntegrity('SQLite, tampered in its file', {
  openEvents: async () => new SqliteEventStore(path),
  tampering: {
    editData: async (stream, revision, edit) =>
      withFile((db) => {
        const original = row(db, stream, revision);
        db.prepare('UPDATE events SET data = ? WHERE position = ?').run(JSON.stringify(edit(JSON.parse(original.data))), original.position);
        return restore(original);
      }),
    swap: async (stream, a, b) =>
      withFile((db) => {
        const [first, second] = [row(db, stream, a), row(db, stream, b)];
        const set = db.prepare('UPDATE events SET type = ?, data = ?, metadata = ? WHERE position = ?');
        set.run(second.type, second.data, second.metadata, first.position);
        set.run(first.type, first.data, first.metadata, second.position);
        return async () => {
          await restore(first)();
          await restore(second)();
        };
      }),
    truncateAfter: async (position) =>
      withFile((db) => {
        db.prepare('DELETE FROM events WHERE position > ?').run(Number(position));
      }),
    remove: async (stream, revision) =>
      withFile((db) => {
        const original = row(db, stream, revision);
        db.prepare('DELETE FROM events WHERE position = ?').run(original.position);
        return restore(original);
      }),
  },
});
