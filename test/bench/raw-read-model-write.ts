import { rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';

/**
 * The floor of any rebuild that ends with these read models: plain better-sqlite3 writing a
 * rebuilt generation's rows, already computed and in key order, into a fresh file with the same
 * tables (ATTACH and INSERT … SELECT, no JavaScript per row), then its indexes and its search
 * index, with the read models' pragmas. Nothing is projected or rendered, so a rebuild can only
 * come close to it, never under it.
 */
export function rawReadModelWriteMs(rebuiltPath: string, freshPath: string): number {
  const source = new Database(rebuiltPath, { readonly: true });
  const live = source.prepare<[], { generation: number }>('SELECT generation FROM read_model_pointer').get();
  if (!live) throw new Error(`${rebuiltPath} holds no live generation`);
  const prefix = `g${live.generation}_`;
  const objects = source
    .prepare<[string], { type: string; name: string; sql: string }>("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND tbl_name LIKE ? || '%' ORDER BY rowid")
    .all(prefix)
    // The search index's own tables are made by its CREATE VIRTUAL TABLE.
    .filter((o) => !(o.type === 'table' && /_search_(data|idx|content|docsize|config)$/.test(o.name)));
  source.close();
  const db = new Database(freshPath);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  try {
    const started = performance.now();
    db.exec(`ATTACH '${rebuiltPath.replaceAll("'", "''")}' AS rebuilt`);
    const tables = objects.filter((o) => o.type === 'table');
    const search = tables.filter((o) => /VIRTUAL TABLE/i.test(o.sql));
    db.transaction(() => {
      for (const table of tables) db.exec(table.sql);
      for (const table of tables.filter((t) => !search.includes(t))) db.exec(`INSERT INTO main.${table.name} SELECT * FROM rebuilt.${table.name}`);
    })();
    db.transaction(() => {
      for (const index of objects.filter((o) => o.type === 'index')) db.exec(index.sql);
      for (const table of search) db.exec(`INSERT INTO main.${table.name} (rowid, search_text) SELECT rid, search_text FROM main.${prefix}initiatives`);
    })();
    db.exec('DETACH rebuilt');
    db.pragma('wal_checkpoint(TRUNCATE)');
    return performance.now() - started;
  } finally {
    db.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${freshPath}${suffix}`, { force: true });
  }
}
