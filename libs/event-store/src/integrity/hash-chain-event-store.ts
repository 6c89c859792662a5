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

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    return this.inner.append(streamId, await this.chain(streamId, events, expected), expected);
  }

  private async chain(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<NewEvent[]> {
    let previous: string;
    let revision: bigint;
    const seen = this.heads.get(streamId);
    if (expected === 'no_stream') [previous, revision] = [GENESIS_HASH, 0n];
    else if (typeof expected === 'bigint' && seen?.revision === expected) [previous, revision] = [seen.hash, expected + 1n];
    else {
      const [last] = await this.inner.readStream(streamId, { direction: 'backwards', maxCount: 1 });
      // A stream whose last event predates the chains is read once whole: its chain goes on from all of them.
      previous = !last ? GENESIS_HASH : (last.metadata.hash ?? chainHead(await this.inner.readStream(streamId)));
      revision = last ? last.revision + 1n : 0n;
    }
    return events.map((event) => {
      // The hash leaves out a hash the event came with; the new one replaces it.
      const { hash, data, metadata } = hashedEncoding(previous, { type: event.type, data: event.data, metadata: event.metadata, streamId, revision });
      previous = hash;
      revision += 1n;
      return { ...event, metadata: { ...event.metadata, hash }, json: { data, metadata: withHash(metadata, hash) } };
    });
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]> {
    const events = await this.inner.readStream(streamId, options);
    const whole = options === undefined || (options.direction !== 'backwards' && options.fromRevision === undefined && options.maxCount === undefined);
    const last = events[events.length - 1];
    if (whole && last) this.remember(streamId, last.revision, last.metadata.hash ?? chainHead(events));
    return events;
  }

  private remember(streamId: string, revision: bigint, hash: string): void {
    this.heads.delete(streamId);
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

/** The metadata's JSON with the hash as its last member (the stored JSON need not be canonical: the hash covers the metadata without itself). */
function withHash(metadata: string, hash: string): string {
  return `${metadata.length > 2 ? `${metadata.slice(0, -1)},` : '{'}"hash":"${hash}"}`;
}
