import { Collection, Document, IndexDescription } from 'mongodb';
import { ProgressQuery } from '../../progress/progress-queries.port';
import { ReadModelCollection, StoredDoc } from './mongo-collections';
import { INITIATIVE_SORT, PROGRESS_SORT_FIELDS, progressSortSpec } from './mongo-queries';
import { createMissingIndexes } from './mongo-server-quirks';

/** The optional equality filters of a progress query, each served by its own family of indexes. */
const PROGRESS_SCOPES = [[], ['parentId'], ['kind'], ['finishedEarly']] as const;

const INITIATIVE_SCOPES = [
  [],
  ['programId'],
  ['unitId'],
  ['unitPath'],
  ['status'],
  ['phaseId'],
  ['programId', 'status'],
  ['programId', 'phaseId'],
  ['unitId', 'status'],
  ['unitPath', 'status'],
] as const;

/** Every index the queries of the port need, by collection. Created at open, idempotently (fixed names). */
export function readModelIndexes(): Record<Exclude<ReadModelCollection, 'meta'>, IndexDescription[]> {
  const progress: IndexDescription[] = [];
  for (const scope of PROGRESS_SCOPES) {
    for (const sort of Object.keys(PROGRESS_SORT_FIELDS) as ProgressQuery['sort'][]) {
      const key: Record<string, 1 | -1> = { programId: 1, phaseId: 1 };
      for (const field of scope) key[field] = 1;
      Object.assign(key, progressSortSpec(sort));
      progress.push({ key, name: `progress_${scope.join('_') || 'phase'}_by_${sort.replace('-', 'desc_')}` });
    }
  }
  progress.push({ key: { programId: 1, unitId: 1, phaseId: 1 }, name: 'progress_of_unit_by_phase' });
  const initiatives: IndexDescription[] = INITIATIVE_SCOPES.map((scope) => {
    const key: Record<string, 1 | -1> = {};
    for (const field of scope) key[field] = 1;
    Object.assign(key, INITIATIVE_SORT);
    return { key, name: `initiatives_${scope.join('_') || 'all'}_newest` };
  });
  initiatives.push({ key: { everUnitPath: 1, initiativeId: 1 }, name: 'initiatives_ever_under' });
  return {
    progress,
    units: [
      { key: { parentId: 1, unitId: 1 }, name: 'units_children' },
      { key: { everPath: 1, unitId: 1 }, name: 'units_ever_under' },
    ],
    initiatives,
    programs: [],
    // A history page is a range of `_id` (see the stored shapes).
    journal: [],
  };
}

/**
 * Creates the indexes that are missing. An index that exists under the same name with another key
 * is an error: that needs a migration (build the read models anew under another prefix), not a
 * silent mismatch. (How the missing ones are created depends on the server: see createMissingIndexes.)
 */
export async function ensureIndexes(collection: Collection<StoredDoc>, wanted: IndexDescription[], onFerretDb: boolean): Promise<void> {
  let existing: Document[] = [];
  try {
    existing = await collection.listIndexes().toArray();
  } catch (error) {
    if ((error as { code?: unknown }).code !== 26) throw error; // NamespaceNotFound: a new collection
  }
  const byName = new Map(existing.map((index) => [index.name as string, index.key as Document]));
  const missing = wanted.filter((index) => {
    const key = byName.get(index.name!);
    if (key === undefined) return true;
    if (JSON.stringify(key) !== JSON.stringify(index.key)) {
      throw new Error(`Index ${index.name} of ${collection.collectionName} exists with key ${JSON.stringify(key)}, not ${JSON.stringify(index.key)}`);
    }
    return false;
  });
  await createMissingIndexes(collection, missing, onFerretDb);
}
