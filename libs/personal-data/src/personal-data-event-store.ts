import {
  AppendResult,
  EventStore,
  ExpectedRevision,
  GUARD_CLAIMED,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
  StreamAppend,
  SubscribeToAllOptions,
  Subscription,
} from '@app/event-store';
import { PersonalDataCodec } from './personal-data-codec';

/**
 * The event store as the service sees it: personal fields go in encrypted and come out in clear
 * (or as the placeholder once erased). Underneath, the log only ever holds the encrypted form, on
 * either adapter. The subscription gathers what the adapter's own subscription delivers into
 * batches (full, caught up, or quiet for a moment), so that a rebuild decrypts a batch with one key
 * look-up.
 */
export class PersonalDataEventStore implements EventStore {
  /** Present when the store underneath writes several streams in one transaction: each part is encrypted like an append. */
  readonly appendTogether?: (appends: readonly StreamAppend[]) => Promise<AppendResult[]>;

  /** Present when the store underneath reads many streams at once: decrypted as one batch, with one key look-up. */
  readonly readStreams?: (streamIds: readonly string[]) => Promise<StoredEvent[]>;

  /** Present when the store underneath tells of its commits. */
  readonly onAppend?: (listener: () => void) => () => void;

  constructor(
    readonly inner: EventStore,
    readonly codec: PersonalDataCodec,
  ) {
    this.onAppend = inner.onAppend?.bind(inner);
    const readStreams = inner.readStreams?.bind(inner);
    if (readStreams) this.readStreams = async (streamIds) => this.decode(await readStreams(streamIds));
    const together = inner.appendTogether?.bind(inner);
    if (together) {
      this.appendTogether = async (appends) => {
        // One part after the other: a claim's copy and the initiative's own events name the same authors, and encoded side by side each would be given a key of its own.
        const encoded: StreamAppend[] = [];
        for (const part of appends) encoded.push({ ...part, events: await this.encode(part.streamId, part.events) });
        const results = await together(encoded);
        for (const { position } of results) this.codec.appended(position);
        return results;
      };
    }
  }

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    const result = await this.inner.append(streamId, await this.encode(streamId, events), expected);
    this.codec.appended(result.position);
    return result;
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]> {
    return this.decode(await this.inner.readStream(streamId, options));
  }

  async readAll(options?: ReadAllOptions): Promise<StoredEvent[]> {
    return this.decode(await this.inner.readAll(options));
  }

  /**
   * A guard's claim carries a copy of its command's events (see AggregateStore's guard): a
   * submission's authors in it are sealed under the same per-person keys as in the initiative's own
   * stream, so that an erasure, which destroys the keys, reaches the copy too.
   */
  private async encode(streamId: string, events: readonly NewEvent[]): Promise<NewEvent[]> {
    const withClaims: NewEvent[] = [];
    for (const event of events) withClaims.push(isClaim(event) ? { ...event, data: { ...event.data, events: await this.codec.encode(event.data.stream, event.data.events) } } : event);
    return this.codec.encode(streamId, withClaims);
  }

  private async decode(events: StoredEvent[]): Promise<StoredEvent[]> {
    const decoded = await this.codec.decode(events);
    // Most reads hold no claim: no promise per event for them.
    if (!decoded.some(isClaim)) return decoded;
    return Promise.all(decoded.map(async (event) => (isClaim(event) ? { ...event, data: { ...event.data, events: await this.codec.decode(event.data.events) } } : event)));
  }

  subscribeToAll(options: SubscribeToAllOptions): Subscription {
    let batch: StoredEvent[] = [];
    let timer: NodeJS.Timeout | undefined;
    let delivered: Promise<void> = Promise.resolve();
    const deliver = (): Promise<void> => {
      clearTimeout(timer);
      timer = undefined;
      const events = batch;
      batch = [];
      delivered = delivered.then(async () => {
        for (const event of await this.decode(events)) await options.onEvent(event);
      });
      return delivered;
    };
    const inner = this.inner.subscribeToAll({
      ...options,
      onEvent: async (event) => {
        batch.push(event);
        if (batch.length >= DECODE_BATCH) return deliver();
        timer ??= setTimeout(() => deliver().catch((error: unknown) => failed(error)), QUIET_MS);
      },
      onCaughtUp: async (position) => {
        await deliver();
        await options.onCaughtUp?.(position);
      },
    });
    const failed = (error: unknown) => {
      void inner.stop();
      options.onError?.(error instanceof Error ? error : new Error(String(error)));
    };
    return {
      async stop() {
        clearTimeout(timer);
        await inner.stop();
        await delivered.catch(() => undefined);
      },
    };
  }

  headPosition(): Promise<bigint> {
    return this.inner.headPosition();
  }

  async close(): Promise<void> {
    await this.inner.close();
    await this.codec.keys.close();
  }
}

function isClaim<E extends { type: string; data: Record<string, unknown> }>(event: E): event is E & { data: { stream: string; events: NewEvent[] } } {
  return event.type === GUARD_CLAIMED && Array.isArray(event.data.events) && typeof event.data.stream === 'string';
}

/** Events decrypted together at most (one key look-up each batch). */
const DECODE_BATCH = 500;
/** How long a live event waits for companions before it is delivered. */
const QUIET_MS = 5;

/** The events as the log holds them (personal fields encrypted): what integrity checks read. */
export function storedEvents(store: EventStore): EventStore {
  return store instanceof PersonalDataEventStore ? store.inner : store;
}
