import { AppendResult, EventStore, ExpectedRevision, NewEvent, ReadAllOptions, ReadStreamOptions, StoredEvent, SubscribeToAllOptions, Subscription } from '../event-store.port';
import { eventHash, GENESIS_HASH } from './event-hash';

/**
 * Chains every stream: each appended event's metadata carries `hash`, which commits to the
 * stream's previous hash and to the event as stored (see eventHash). Per-stream chains need no
 * global lock, so this works on an EventStoreDB cluster as on SQLite. An event written before
 * chains existed has no hash; the next one chains from that event's recomputed hash.
 *
 * The revision an event is hashed at is the one after the stream's current last: an append that
 * lands elsewhere (a concurrent `any` append) fails its check, so a race shows as a broken link,
 * never as a silently valid one.
 */
export class HashChainEventStore implements EventStore {
  constructor(readonly inner: EventStore) {}

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    const [last] = await this.inner.readStream(streamId, { direction: 'backwards', maxCount: 1 });
    let previous = last ? (last.metadata.hash ?? eventHash(GENESIS_HASH, last)) : GENESIS_HASH;
    let revision = last ? last.revision + 1n : 0n;
    const chained = events.map((event) => {
      const { hash: _ignored, ...metadata } = event.metadata;
      const hash = eventHash(previous, { ...event, metadata, streamId, revision });
      previous = hash;
      revision += 1n;
      return { ...event, metadata: { ...metadata, hash } };
    });
    return this.inner.append(streamId, chained, expected);
  }

  readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]> {
    return this.inner.readStream(streamId, options);
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
