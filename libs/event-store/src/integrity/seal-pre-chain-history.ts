import { EventStore, StoredEvent } from '../event-store.port';
import { Seal, SEAL_STREAM, SealSigner } from './seal';
import { SealHeads } from './seal-heads';
import { sealLog } from './verify-chains';

/**
 * Events written before the chains existed carry no hash and are not rewritten: a log that begins
 * with such an event has that history, and it is sealed once, when no seal exists yet. The seal's
 * root commits to those events' hashes recomputed in order (see chainHead), so from then on an edit
 * of any of them is caught against it, and an exported copy of it catches a rewrite of the whole store.
 *
 * @returns the seal, or null when the log has no history from before the chains or a seal covers it already
 */
export async function sealPreChainHistory(
  store: EventStore,
  signer: SealSigner,
  now: string,
  metadata: Omit<StoredEvent['metadata'], 'recordedAt'>,
  heads?: SealHeads,
): Promise<{ seal: Seal; position: bigint } | null> {
  const [first] = await store.readAll({ maxCount: 1 });
  if (!first || first.metadata.hash !== undefined) return null;
  // Any seal comes after the first event, so it covers every event written before the chains.
  const [sealed] = await store.readStream(SEAL_STREAM, { maxCount: 1 });
  if (sealed) return null;
  return sealLog(store, signer, now, metadata, heads);
}
