import { ProgressQuery } from '../../progress/progress-queries.port';

/**
 * The tables of one generation of the read models in SQLite, every name under the generation's
 * prefix. Documents are stored whole as JSON (`doc`), beside the columns their queries filter and
 * sort on, so that every query of the port is an index range scan:
 * - progress: sort values precomputed as `progressSortValue` gives them (null attainment → -1, no
 *   reachedQuotaOn → '9999-12-31'), so SQLite orders exactly as the memory adapter;
 * - initiatives: `initiative_under` holds (unit of the current path, submission) for subtree lists
 *   in index order; `initiative_search` is an FTS5 trigram index of the folded search text, which
 *   answers "contains this word" without scanning (words of 3 letters or more);
 * - ever_under: (ancestor, unit or initiative) for everything ever in a unit's subtree, so that a
 *   unit's verification reads only its own streams;
 * - journal: the history journal's lines in their primary key's order (programme, unit, phase,
 *   position), so that a history page is one range; `journal_events` the events' side, once each;
 *   `journal_staged` the lines of a bulk load in log order, put into the journal's order at its end
 *   (inserting them one by one across the whole key range rewrote a page per line at every batch).
 */
export function readModelTables(prefix: string) {
  return {
    meta: `${prefix}meta`,
    progress: `${prefix}progress`,
    units: `${prefix}units`,
    initiatives: `${prefix}initiatives`,
    initiativeUnder: `${prefix}initiative_under`,
    initiativeSearch: `${prefix}initiative_search`,
    everUnder: `${prefix}ever_under`,
    programs: `${prefix}programs`,
    journal: `${prefix}journal`,
    journalEvents: `${prefix}journal_events`,
    journalStaged: `${prefix}journal_staged`,
  } as const;
}

/** Where each progress sort finds its value (`null`: by unitId alone). */
export const PROGRESS_SORT_COLUMNS: Record<ProgressQuery['sort'], 'attainment' | 'counted' | 'excess' | 'reached' | null> = {
  unitId: null,
  attainmentPercent: 'attainment',
  '-attainmentPercent': 'attainment',
  counted: 'counted',
  '-counted': 'counted',
  excess: 'excess',
  '-excess': 'excess',
  reachedQuotaOn: 'reached',
};

/** The secondary indexes, apart: a bulk load drops them and creates them once at its end. */
export function readModelIndexStatements(prefix: string): { name: string; sql: string }[] {
  const t = readModelTables(prefix);
  const progressIndexes: string[] = [
    `CREATE INDEX IF NOT EXISTS ${t.progress}_by_unit ON ${t.progress} (program_id, phase_id, unit_id)`,
    `CREATE INDEX IF NOT EXISTS ${t.progress}_parent ON ${t.progress} (program_id, phase_id, parent_id, unit_id)`,
    `CREATE INDEX IF NOT EXISTS ${t.progress}_kind ON ${t.progress} (program_id, phase_id, kind, unit_id)`,
    `CREATE INDEX IF NOT EXISTS ${t.progress}_reached ON ${t.progress} (program_id, phase_id, reached, unit_id)`,
    `CREATE INDEX IF NOT EXISTS ${t.progress}_early ON ${t.progress} (program_id, phase_id, finished_early, reached, unit_id)`,
  ];
  for (const column of ['attainment', 'counted', 'excess']) {
    for (const direction of ['ASC', 'DESC']) {
      const name = `${column}_${direction.toLowerCase()}`;
      progressIndexes.push(`CREATE INDEX IF NOT EXISTS ${t.progress}_${name} ON ${t.progress} (program_id, phase_id, ${column} ${direction}, unit_id)`);
      progressIndexes.push(`CREATE INDEX IF NOT EXISTS ${t.progress}_kind_${name} ON ${t.progress} (program_id, phase_id, kind, ${column} ${direction}, unit_id)`);
    }
  }
  return [
    ...progressIndexes,
    `CREATE INDEX IF NOT EXISTS ${t.units}_children ON ${t.units} (parent_id, unit_id)`,
    `CREATE INDEX IF NOT EXISTS ${t.initiatives}_newest ON ${t.initiatives} (submitted_at, initiative_id)`,
    ...['program_id', 'unit_id', 'status', 'phase_id'].map(
      (column) => `CREATE INDEX IF NOT EXISTS ${t.initiatives}_${column}_newest ON ${t.initiatives} (${column}, submitted_at, initiative_id)`,
    ),
  ].map((sql) => ({ name: / EXISTS (\S+) ON /.exec(sql)![1], sql }));
}

/** The tables (the indexes are apart: see `readModelIndexStatements`). */
export function readModelSchema(prefix: string): string {
  const t = readModelTables(prefix);
  return [
    `CREATE TABLE IF NOT EXISTS ${t.meta} (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID`,
    `CREATE TABLE IF NOT EXISTS ${t.progress} (
      program_id TEXT NOT NULL, unit_id TEXT NOT NULL, phase_id TEXT NOT NULL,
      parent_id TEXT, kind TEXT NOT NULL, finished_early INTEGER NOT NULL,
      attainment REAL NOT NULL, counted INTEGER NOT NULL, excess INTEGER NOT NULL, reached TEXT NOT NULL,
      doc TEXT NOT NULL,
      PRIMARY KEY (program_id, unit_id, phase_id)
    ) WITHOUT ROWID`,
    `CREATE TABLE IF NOT EXISTS ${t.units} (unit_id TEXT PRIMARY KEY, parent_id TEXT, doc TEXT NOT NULL) WITHOUT ROWID`,
    `CREATE TABLE IF NOT EXISTS ${t.initiatives} (
      rid INTEGER PRIMARY KEY, initiative_id TEXT NOT NULL UNIQUE,
      program_id TEXT NOT NULL, unit_id TEXT NOT NULL, status TEXT NOT NULL, phase_id TEXT,
      submitted_at TEXT NOT NULL, unit_path TEXT NOT NULL, search_text TEXT NOT NULL, doc TEXT NOT NULL
    )`,
    `CREATE TABLE IF NOT EXISTS ${t.initiativeUnder} (
      unit_id TEXT NOT NULL, submitted_at TEXT NOT NULL, initiative_id TEXT NOT NULL,
      PRIMARY KEY (unit_id, submitted_at, initiative_id)
    ) WITHOUT ROWID`,
    `CREATE VIRTUAL TABLE IF NOT EXISTS ${t.initiativeSearch} USING fts5(search_text, tokenize = 'trigram')`,
    `CREATE TABLE IF NOT EXISTS ${t.everUnder} (ancestor_id TEXT NOT NULL, kind TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (ancestor_id, kind, id)) WITHOUT ROWID`,
    `CREATE TABLE IF NOT EXISTS ${t.programs} (program_id TEXT PRIMARY KEY, doc TEXT NOT NULL) WITHOUT ROWID`,
    `CREATE TABLE IF NOT EXISTS ${t.journal} (
      program_id TEXT NOT NULL, unit_id TEXT NOT NULL, phase_id TEXT NOT NULL, position INTEGER NOT NULL,
      subtree TEXT, own TEXT,
      PRIMARY KEY (program_id, unit_id, phase_id, position)
    ) WITHOUT ROWID`,
    `CREATE TABLE IF NOT EXISTS ${t.journalEvents} (position INTEGER PRIMARY KEY, recorded_on TEXT NOT NULL, event TEXT NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS ${t.journalStaged} (program_id TEXT NOT NULL, unit_id TEXT NOT NULL, phase_id TEXT NOT NULL, position INTEGER NOT NULL, subtree TEXT, own TEXT)`,
  ].join(';\n');
}
