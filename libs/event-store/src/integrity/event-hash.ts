import { hash } from 'node:crypto';
import { EventMetadata } from '../event-store.port';
import { canonicalJson } from './canonical-json';

/** The "previous hash" of a stream's first event. */
export const GENESIS_HASH = '0'.repeat(64);

export interface HashedContent {
  type: string;
  streamId: string;
  revision: bigint;
  data: Record<string, unknown>;
  metadata: EventMetadata;
}

/**
 * hash = SHA-256(previous hash of the stream ‖ "\n" ‖ canonical JSON of { type, data,
 * metadata without hash, stream, revision }), hex. It covers the event as stored: for personal
 * fields, the encrypted form, so destroying a person's key changes no hash.
 */
export function eventHash(previous: string, event: HashedContent): string {
  return hashedEncoding(previous, event).hash;
}

/** An event's hash, with the canonical JSON of its data and of its metadata (without the hash) it was computed over. */
export interface HashedEncoding {
  hash: string;
  data: string;
  metadata: string;
}

/**
 * The hash and the JSON it covers, in pieces: the canonical form of the whole is that of its
 * members in key order (data, metadata, revision, stream, type), so a store can keep the data's
 * and metadata's JSON as they are, and an appended event is written to JSON once, not twice.
 */
export function hashedEncoding(previous: string, event: HashedContent): HashedEncoding {
  const data = canonicalJson(event.data);
  const metadata = canonicalJson(withoutHash(event.metadata));
  const content = `{"data":${data},"metadata":${metadata},"revision":${Number(event.revision)},"stream":${JSON.stringify(event.streamId)},"type":${JSON.stringify(event.type)}}`;
  // The one-shot hash: on every append and every event checked, a Hash object per call costs more than the digest.
  return { hash: hash('sha256', `${previous}\n${content}`, 'hex'), data, metadata };
}

function withoutHash(metadata: EventMetadata): Omit<EventMetadata, 'hash'> {
  if (metadata.hash === undefined) return metadata;
  const { hash: _ignored, ...rest } = metadata;
  return rest;
}

/**
 * The hash a stream's next event chains from, over the stream's events in order: an event's own
 * hash, or for one written before chains existed, its hash recomputed on the chain so far. The same
 * fold the verification walks, so that a seal over such events commits to every one of them.
 */
export function chainHead(events: readonly HashedContent[]): string {
  let previous = GENESIS_HASH;
  for (const event of events) previous = event.metadata.hash ?? eventHash(previous, event);
  return previous;
}
