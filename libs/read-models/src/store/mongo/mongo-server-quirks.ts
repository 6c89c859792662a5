import { Collection, Db, Document, IndexDescription } from 'mongodb';
import { UnitDoc } from '../../units/unit-doc';
import { StoredDoc } from './mongo-collections';

// Where the servers differ: the MongoDB adapter's every workaround for FerretDB 1.x (and for what
// MongoDB handles only partly) is here, and only here.

/** Whether the server is FerretDB (its buildInfo names its version). */
export async function isFerretDb(db: Db): Promise<boolean> {
  const buildInfo = await db.command({ buildInfo: 1 });
  return typeof buildInfo.ferretdbVersion === 'string';
}

/** The largest update command FerretDB 1.x executes safely (see MongoReadModelStoreOptions.chunkSize). */
export const FERRETDB_MAX_CHUNK_SIZE = 99;

/** Operations per `bulkWrite`: as asked (at least 1), capped on FerretDB, which deadlocks on 100 or more statements matching existing documents. */
export function bulkWriteChunkSize(requested: number, onFerretDb: boolean): number {
  const chunkSize = Math.max(1, requested);
  return onFerretDb ? Math.min(chunkSize, FERRETDB_MAX_CHUNK_SIZE) : chunkSize;
}

/**
 * A duplicate-key error: code 11000 on MongoDB, and on FerretDB for inserts and inserting upserts;
 * FerretDB 1.x reports some unique-index conflicts as code 1 (InternalError) with a "duplicate
 * key" or "UNIQUE constraint failed" message.
 */
export function isDuplicateKeyError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (code === 11000 || code === 11001) return true;
  return code === 1 && typeof message === 'string' && /duplicate key|UNIQUE constraint failed/i.test(message);
}

/**
 * Creates indexes known to be missing. FerretDB 1.24 panics (and drops the connection) on a
 * `createIndexes` of two or more indexes that all exist already, so the caller lists the existing
 * ones first and leaves them alone, and on FerretDB the missing ones are created one per command: an
 * API and a projector opening the same new database at once may both find an index missing, and
 * one-index commands are safe in that race (MongoDB is idempotent either way).
 */
export async function createMissingIndexes(collection: Collection<StoredDoc>, missing: IndexDescription[], onFerretDb: boolean): Promise<void> {
  if (onFerretDb) for (const index of missing) await collection.createIndexes([index]);
  else if (missing.length > 0) await collection.createIndexes(missing);
}

const LOOKUPS_AT_ONCE = 16;

/** The documents of these ids that exist, by one `_id` equality each, some at once: FerretDB 1.x serves equality on `_id` by its index, `$in` by a scan. */
export async function findEachById(collection: Collection<StoredDoc>, ids: readonly string[], projection: Document): Promise<StoredDoc[]> {
  const docs: StoredDoc[] = [];
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const doc = await collection.findOne({ _id: ids[next++] }, { projection });
      if (doc) docs.push(doc);
    }
  };
  await Promise.all(Array.from({ length: LOOKUPS_AT_ONCE }, worker));
  return docs;
}

// A unit's quotas are stored as a list of entries, not a map keyed by ids: ids may contain '.',
// which FerretDB refuses in field names (and MongoDB handles only partly).

interface StoredQuotas {
  programId: string;
  phases: { phaseId: string; quota: number }[];
}

export function encodeQuotas(quotas: UnitDoc['quotas']): StoredQuotas[] {
  return Object.entries(quotas).map(([programId, byPhase]) => ({
    programId,
    phases: Object.entries(byPhase).map(([phaseId, quota]) => ({ phaseId, quota })),
  }));
}

export function decodeUnit(doc: Document): UnitDoc {
  const quotas: UnitDoc['quotas'] = {};
  for (const entry of (doc.quotas ?? []) as StoredQuotas[]) {
    quotas[entry.programId] = Object.fromEntries(entry.phases.map((p) => [p.phaseId, p.quota]));
  }
  return { ...(doc as UnitDoc), quotas };
}
