import { AppendResult, EventStore, ExpectedRevision, NewEvent, ReadAllOptions, ReadStreamOptions, StoredEvent, StreamAppend, SubscribeToAllOptions, Subscription } from '../event-store.port';
import { chainHead, GENESIS_HASH, hashedEncoding } from './event-hash';

/**
 * Chains every stream: each appended event's metadata carries `hash`, which commits to the
 * stream's previous hash and to the event as stored (see eventHash). Per-stream chains need no
 * global lock, so this works on an EventStoreDB cluster as on SQLite. An event written before
 * chains existed has no hash; the next one chains from the hashes of those before it recomputed
 * in order (see chainHead), as the verification does.
 *
 * The revision an event is hashed at is the one after the stream's current last: an append that
 * lands elsewhere (a concurrent `any` append) fails its check, so a race shows as a broken link,
 * never as a silently valid one.
 */
export class HashChainEventStore implements EventStore {
  /**
   * The last link of recently read streams: a command that read its stream and appends at the
   * revision it read needs no second read (if the stream moved meanwhile, the append fails its
   * expected revision anyway).
   */
  private readonly heads = new Map<string, { revision: bigint; hash: string }>();

  /** Present when the store underneath writes several streams in one transaction: each part is chained like an append. */
  readonly appendTogether?: (appends: readonly StreamAppend[]) => Promise<AppendResult[]>;

  /** Present when the store underneath reads many streams at once: audits read, they append nothing, so no link is remembered. */
  readonly readStreams?: (streamIds: readonly string[]) => Promise<StoredEvent[]>;

  /** Present when the store underneath tells of its commits. */
  readonly onAppend?: (listener: () => void) => () => void;

  constructor(readonly inner: EventStore) {
    this.readStreams = inner.readStreams?.bind(inner);
    this.onAppend = inner.onAppend?.bind(inner);
    const together = inner.appendTogether?.bind(inner);
    if (together) {
      this.appendTogether = async (appends) => together(await Promise.all(appends.map(async (part) => ({ ...part, events: await this.chain(part.streamId, part.events, part.expected) }))));
    }
  }

  append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    let known: NewEvent[] | undefined;
    try {
      known = this.chainFromKnownHead(streamId, events, expected);
    } catch (error) {
      // An event the chain cannot encode fails the append as an async append would, never in the caller's stack.
      return Promise.reject(error);
    }
    if (known) return this.inner.append(streamId, known, expected);
    return this.chainFromStore(streamId, events).then((chained) => this.inner.append(streamId, chained, expected));
  }

  private chain(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): NewEvent[] | Promise<NewEvent[]> {
    return this.chainFromKnownHead(streamId, events, expected) ?? this.chainFromStore(streamId, events);
  }

  /**
   * Without a read: a new stream, or one whose head this layer remembers at the expected revision.
   * A command appends here, at the revision it has just read; no turn of the event loop is spent.
   */
  private chainFromKnownHead(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): NewEvent[] | undefined {
    if (expected === 'no_stream') return chained(streamId, events, GENESIS_HASH, 0n);
    if (typeof expected !== 'bigint') return undefined;
    const seen = this.heads.get(streamId);
    return seen?.revision === expected ? chained(streamId, events, seen.hash, expected + 1n) : undefined;
  }

  private async chainFromStore(streamId: string, events: readonly NewEvent[]): Promise<NewEvent[]> {
    const [last] = await this.inner.readStream(streamId, { direction: 'backwards', maxCount: 1 });
    if (!last) return chained(streamId, events, GENESIS_HASH, 0n);
    // A stream whose last event predates the chains is read once whole: its chain goes on from all of them.
    return chained(streamId, events, last.metadata.hash ?? chainHead(await this.inner.readStream(streamId)), last.revision + 1n);
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]> {
    const events = await this.inner.readStream(streamId, options);
    const whole = options === undefined || (options.direction !== 'backwards' && options.fromRevision === undefined && options.maxCount === undefined);
    const last = events[events.length - 1];
    if (whole && last) this.remember(streamId, last.revision, last.metadata.hash ?? chainHead(events));
    return events;
  }

  /**
   * Oldest first out, with no refresh on a hit: a head is needed only between a command's read and
   * its append, and every whole read remembers it again.
   */
  private remember(streamId: string, revision: bigint, hash: string): void {
    const seen = this.heads.get(streamId);
    if (seen) {
      seen.revision = revision;
      seen.hash = hash;
      return;
    }
    this.heads.set(streamId, { revision, hash });
    if (this.heads.size > REMEMBERED_HEADS) this.heads.delete(this.heads.keys().next().value!);
  }

  readAll(options?: ReadAllOptions): Promise<StoredEvent[]> {
    return this.inner.readAll(options);
  }

  subscribeToAll(options: SubscribeToAllOptions): Subscription {
    return this.inner.subscribeToAll(options);
  }

  headPosition(): Promise<bigint> {
    return this.inner.headPosition();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

const REMEMBERED_HEADS = 10_000;

/** The events with their hashes, chained from `previous` at `revision` on. */
function chained(streamId: string, events: readonly NewEvent[], previous: string, revision: bigint): NewEvent[] {
  const out: NewEvent[] = new Array(events.length);
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    // The hash leaves out a hash the event came with; the new one replaces it.
    const { hash, data, metadata } = hashedEncoding(previous, { type: event.type, data: event.data, metadata: event.metadata, streamId, revision });
    out[i] = { id: event.id, type: event.type, data: event.data, metadata: { ...event.metadata, hash }, json: { data, metadata: withHash(metadata, hash) } };
    previous = hash;
    revision += 1n;
  }
  return out;
}

/** The metadata's JSON with the hash as its last member (the stored JSON need not be canonical: the hash covers the metadata without itself). */
function withHash(metadata: string, hash: string): string {
  return `${metadata.length > 2 ? `${metadata.slice(0, -1)},` : '{'}"hash":"${hash}"}`;
}
