import Database from 'better-sqlite3';
import { NewEvent } from '@app/event-store';

/**
 * The baselines' side of the embedded store: plain better-sqlite3 on an equivalent table (a copy of
 * today's schema of SqliteEventStore, kept here on purpose so that a costlier schema shows up as a
 * worse ratio) with the same pragmas, and nothing else.
 */
const RAW_SCHEMA = `
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

export interface RawRow {
  position: number;
  event_id: string;
  stream_id: string;
  revision: number;
  type: string;
  data: string;
  metadata: string;
}

export interface Append {
  streamId: string;
  event: NewEvent;
}

/** Opens (or creates) a file with the adapter's pragmas: WAL, synchronous = FULL. */
export function openRaw(path: string, options: { readonly?: boolean } = {}): Database.Database {
  const db = new Database(path, { readonly: options.readonly ?? false });
  if (!options.readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    db.exec(RAW_SCHEMA);
  }
  return db;
}

/** One transaction (BEGIN IMMEDIATE, like the adapter) per event; the same row the adapter writes. */
export function rawAppender(db: Database.Database): (append: Append, revision: number) => void {
  const insert = db.prepare('INSERT INTO events (event_id, stream_id, revision, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)');
  const tx = db.transaction((append: Append, revision: number) => {
    const { event } = append;
    insert.run(event.id, append.streamId, revision, event.type, JSON.stringify(event.data), JSON.stringify(event.metadata));
  });
  return (append, revision) => tx.immediate(append, revision);
}

/** Reads the whole log in pages, rows as they come from SQLite (no JSON parsing): the floor of any reader. */
export function rawReadAll(db: Database.Database, pageSize: number): number {
  const select = db.prepare<[number, number], RawRow>('SELECT * FROM events WHERE position > ? ORDER BY position LIMIT ?');
  let after = 0;
  let count = 0;
  for (;;) {
    const rows = select.all(after, pageSize);
    if (rows.length === 0) return count;
    count += rows.length;
    after = rows[rows.length - 1].position;
  }
}
