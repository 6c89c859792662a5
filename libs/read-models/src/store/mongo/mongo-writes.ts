import { AnyBulkWriteOperation, Collection, Long } from 'mongodb';
import { JournalChanges, JournalEvent } from '../../audit/history-journal';
import { ProjectionChanges } from '../../projection/read-model-projections';
import { SavedProjectionState } from '../../projection/projection-state';
import { progressSortValue } from '../sort-keys';
import { paddedPosition, ReadModelCollections, StoredDoc, StoredJournalLine } from './mongo-collections';
import { encodeQuotas, isDuplicateKeyError } from './mongo-server-quirks';

// The writing side: whole documents replaced with upsert (idempotent), and the meta documents —
// the checkpoint, the bulk load's mark and the saved projection state.

export const CHECKPOINT_ID = 'checkpoint' as const;
/** The saved projection state: a pointer document naming one of two slots of chunks, written after the checkpoint. */
const STATE_ID = 'state';
export const BULK_ID = 'bulk-load' as const;
/** Characters per chunk: at most 3 bytes each in UTF-8, well under the 16 MB document limit. */
const STATE_CHUNK_CHARS = 4_000_000;
export const DEFAULT_CHUNK_SIZE = 1000;

/** A batch's documents, as stored (see the stored shapes), each collection's after the other's. */
export async function writeDocuments(collections: ReadModelCollections, changes: ProjectionChanges, chunkSize: number): Promise<void> {
  await replaceAll(
    collections.progress,
    changes.progress.map((row) => ({
      _id: `${row.programId}|${row.unitId}|${row.phaseId}`,
      ...row,
      _sortAttainment: progressSortValue(row, 'attainmentPercent'),
      _sortReached: progressSortValue(row, 'reachedQuotaOn'),
    })),
    chunkSize,
  );
  await replaceAll(
    collections.units,
    changes.units.map((unit) => ({ _id: unit.unitId, ...unit, quotas: encodeQuotas(unit.quotas) })),
    chunkSize,
  );
  await replaceAll(
    collections.initiatives,
    changes.initiatives.map((doc) => ({ _id: doc.initiativeId, ...doc })),
    chunkSize,
  );
  await replaceAll(
    collections.programs,
    changes.programs.map((doc) => ({ _id: doc.programId, ...doc })),
    chunkSize,
  );
  await replaceAll(collections.journal, journalDocuments(changes.journal), chunkSize);
}

/** Unordered bulk replaces with upsert, in chunks: each is idempotent, so their order does not matter. */
async function replaceAll(collection: Collection<StoredDoc>, docs: StoredDoc[], chunkSize: number): Promise<void> {
  for (let i = 0; i < docs.length; i += chunkSize) {
    const ops: AnyBulkWriteOperation<StoredDoc>[] = docs.slice(i, i + chunkSize).map((doc) => ({
      replaceOne: { filter: { _id: doc._id }, replacement: doc, upsert: true },
    }));
    await collection.bulkWrite(ops, { ordered: false });
  }
}

/** A batch's journal as stored: one document per (programme, unit), its lines in log order with the events they name. */
function journalDocuments(journal: JournalChanges | undefined): StoredDoc[] {
  if (!journal || journal.lines.length === 0) return [];
  const eventAt = new Map(journal.events.map((event) => [event.position, event]));
  const byUnit = new Map<string, { lines: StoredJournalLine[]; events: Map<string, JournalEvent> }>();
  for (const line of journal.lines) {
    const key = `${line.programId}|${line.unitId}|`;
    let group = byUnit.get(key);
    if (!group) byUnit.set(key, (group = { lines: [], events: new Map() }));
    const position = line.position.toString();
    group.lines.push({ phaseId: line.phaseId, position, subtree: line.subtree, own: line.own });
    group.events.set(position, eventAt.get(position)!);
  }
  return [...byUnit].map(([key, { lines, events }]) => ({
    _id: `${key}${paddedPosition(BigInt(lines[0].position))}`,
    last: paddedPosition(BigInt(lines[lines.length - 1].position)),
    lines,
    events: [...events.values()],
  }));
}

/** A meta document that holds a position (the checkpoint, the bulk load's mark), or null without one; read it with `positionOf`. */
export function findPositionDoc(meta: Collection<StoredDoc>, id: typeof CHECKPOINT_ID | typeof BULK_ID): Promise<StoredDoc | null> {
  return meta.findOne({ _id: id }, { promoteLongs: false });
}

export function positionOf(doc: StoredDoc): bigint {
  return toBigInt(doc.position);
}

/**
 * `$max`: the checkpoint never goes down, even if an older write lands late. Stored as an Int64
 * (positions are 64-bit). The very first write is an upsert, which two writers could race; the
 * loser's duplicate-key error is retried once, and then matches the winner's document.
 */
export async function raiseCheckpoint(meta: Collection<StoredDoc>, position: bigint, id: typeof CHECKPOINT_ID | typeof BULK_ID): Promise<void> {
  const update = () => meta.updateOne({ _id: id }, { $max: { position: Long.fromBigInt(position) } }, { upsert: true });
  try {
    await update();
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    await update();
  }
}

/** The bulk load's mark, at least at `position`. */
export async function markBulkLoad(meta: Collection<StoredDoc>, position: bigint): Promise<void> {
  await meta.updateOne({ _id: BULK_ID }, { $max: { position: Long.fromBigInt(position) } }, { upsert: true });
}

export async function unmarkBulkLoad(meta: Collection<StoredDoc>): Promise<void> {
  await meta.deleteOne({ _id: BULK_ID });
}

/**
 * The chunks go to the slot the pointer does not name, then the pointer switches: a crash while
 * writing them leaves the previous state whole.
 */
export async function saveState(meta: Collection<StoredDoc>, state: SavedProjectionState, chunkSize: number): Promise<void> {
  const current = await meta.findOne({ _id: STATE_ID });
  const slot = current?.slot === 0 ? 1 : 0;
  const chunks: StoredDoc[] = [];
  for (let i = 0; i * STATE_CHUNK_CHARS < Math.max(state.body.length, 1); i++) {
    chunks.push({ _id: `${STATE_ID}:${slot}:${i}`, text: state.body.slice(i * STATE_CHUNK_CHARS, (i + 1) * STATE_CHUNK_CHARS) });
  }
  for (const chunk of chunks) await replaceAll(meta, [chunk], chunkSize);
  const pointer = { _id: STATE_ID, slot, chunks: chunks.length, version: state.version, position: state.position.toString(), checksum: state.checksum };
  await meta.replaceOne({ _id: STATE_ID }, pointer, { upsert: true });
}

export async function readSavedState(meta: Collection<StoredDoc>): Promise<SavedProjectionState | null> {
  const pointer = await meta.findOne({ _id: STATE_ID });
  if (!pointer) return null;
  const chunks = await meta.find({ _id: { $in: Array.from({ length: pointer.chunks as number }, (_, i) => `${STATE_ID}:${pointer.slot}:${i}`) } }).toArray();
  const byIndex = new Map(chunks.map((c) => [c._id, c.text as string]));
  const body = Array.from({ length: pointer.chunks as number }, (_, i) => byIndex.get(`${STATE_ID}:${pointer.slot}:${i}`) ?? '').join('');
  return { version: pointer.version as string, position: BigInt(pointer.position as string), checksum: pointer.checksum as string, body };
}

function toBigInt(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return BigInt(value);
  if (value instanceof Long) return value.toBigInt();
  if (typeof value === 'string') return BigInt(value);
  throw new Error(`Unreadable checkpoint position: ${String(value)}`);
}
