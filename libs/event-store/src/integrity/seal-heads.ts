import Database from 'better-sqlite3';
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { StreamHead } from './seal';

/** The last event a store of heads has taken in: its position and id, to know it is the same log next time. */
export interface HeadsMark {
  position: bigint;
  eventId: string;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS heads (stream TEXT PRIMARY KEY, revision INTEGER NOT NULL, hash TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS mark (id INTEGER PRIMARY KEY CHECK (id = 1), position TEXT NOT NULL, event_id TEXT NOT NULL);
`;

/**
 * Every stream's head as of the last event a seal took in, kept in a file beside the seal key, so
 * that the next seal reads only the events after it instead of the whole log (at 2 M events the
 * whole log was a minute of a core every hour). A cache, never a source of truth: missing, or made
 * from another log (the event at its mark is not the one it names), and the seal walks the whole
 * log again and writes it anew. Heads and mark are written together, page by page, so a walk cut
 * short carries on from its last page, never folding an event twice.
 */
export class SealHeads {
  private readonly db: Database.Database;
  private readonly statements;
  private readonly putPage;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(path: string) {
    if (path !== ':memory:') {
      mkdirSync(dirname(path), { recursive: true });
      closeSync(openSync(path, 'a', 0o600));
      chmodSync(path, 0o600);
    }
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    // A cache: a write lost to a power cut is redone from the log.
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(SCHEMA);
    this.statements = {
      mark: this.db.prepare<[], { position: string; event_id: string }>('SELECT position, event_id FROM mark WHERE id = 1'),
      setMark: this.db.prepare('INSERT INTO mark (id, position, event_id) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET position = excluded.position, event_id = excluded.event_id'),
      head: this.db.prepare<[string], { revision: number; hash: string }>('SELECT revision, hash FROM heads WHERE stream = ?'),
      put: this.db.prepare('INSERT INTO heads (stream, revision, hash) VALUES (?, ?, ?) ON CONFLICT (stream) DO UPDATE SET revision = excluded.revision, hash = excluded.hash'),
      count: this.db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM heads'),
      inOrder: this.db.prepare<[], { stream: string; revision: number; hash: string }>('SELECT stream, revision, hash FROM heads ORDER BY stream'),
    };
    this.putPage = this.db.transaction((heads: readonly StreamHead[], mark: HeadsMark) => {
      for (const head of heads) this.statements.put.run(head.stream, Number(head.revision), head.hash);
      this.statements.setMark.run(mark.position.toString(), mark.eventId);
    });
  }

  /** Runs `work` alone: two seals at once (the timer's and an admin's) would walk the same pages twice. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  mark(): HeadsMark | null {
    const row = this.statements.mark.get();
    return row ? { position: BigInt(row.position), eventId: row.event_id } : null;
  }

  head(stream: string): { revision: bigint; hash: string } | undefined {
    const row = this.statements.head.get(stream);
    return row && { revision: BigInt(row.revision), hash: row.hash };
  }

  /** The heads a page of events changed, and the page's last event as the new mark, in one transaction. */
  take(heads: readonly StreamHead[], mark: HeadsMark): void {
    this.putPage(heads, mark);
  }

  /** Forgets everything: a whole walk follows. */
  clear(): void {
    this.db.exec('DELETE FROM heads; DELETE FROM mark;');
  }

  get streams(): number {
    return this.statements.count.get()!.n;
  }

  /** Every head, in stream order, one row at a time. */
  *inStreamOrder(): IterableIterator<StreamHead> {
    for (const row of this.statements.inOrder.iterate()) yield { stream: row.stream, revision: BigInt(row.revision), hash: row.hash };
  }

  close(): void {
    this.db.close();
  }
}
