import { AppendResult, EventStore, ExpectedRevision, NewEvent, ReadStreamOptions, StoredEvent, StreamAppend, WrongExpectedRevisionError } from './event-store.port';
import { expectationHolds } from './sqlite/sqlite-event-store';

/** A store that writes several streams in one transaction. */
export type TransactionalEventStore = EventStore & Required<Pick<EventStore, 'appendTogether'>>;

export function hasTransactions(store: EventStore): store is TransactionalEventStore {
  return store.appendTogether !== undefined;
}

interface StagedStream {
  /** The stream's last revision in the store underneath when its first append was staged (-1: none). */
  base: bigint;
  /** What that first append expected: what the transaction then checks. */
  expected: ExpectedRevision;
  events: NewEvent[];
  /** The same, as reads answer them. */
  read: StoredEvent[];
}

/**
 * Many commands written as one transaction, on a store that writes several streams in one: their
 * appends are held here, checked as the store would check them against what it holds plus what was
 * held before, and read back by the commands that follow (so each decides on the streams as the
 * earlier ones leave them); `commit` then writes them all or none, every stream's expectation
 * checked again by the store. The log (`readAll`, subscriptions, the head) shows only what was
 * committed. Held events answer with position 0: they have none until they are written.
 */
export class StagedEventStore implements EventStore {
  private readonly staged = new Map<string, StagedStream>();
  // The log is what was committed: the store underneath answers for it.
  readonly readAll: EventStore['readAll'];
  readonly subscribeToAll: EventStore['subscribeToAll'];
  readonly headPosition: EventStore['headPosition'];

  constructor(private readonly inner: TransactionalEventStore) {
    this.readAll = inner.readAll.bind(inner);
    this.subscribeToAll = inner.subscribeToAll.bind(inner);
    this.headPosition = inner.headPosition.bind(inner);
  }

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    const [result] = await this.appendTogether([{ streamId, events, expected }]);
    return result;
  }

  /** Every part is checked before any is held: all or none, like the store's own. */
  async appendTogether(appends: readonly StreamAppend[]): Promise<AppendResult[]> {
    const checked: { part: StreamAppend; stream: StagedStream }[] = [];
    for (const part of appends) {
      const stream = this.staged.get(part.streamId) ?? { base: await this.lastRevision(part.streamId), expected: part.expected, events: [], read: [] };
      const last = stream.base + BigInt(stream.events.length);
      if (!expectationHolds(part.expected, last < 0n ? 'no_stream' : last)) throw new WrongExpectedRevisionError(part.streamId, part.expected, last < 0n ? 'no_stream' : last);
      checked.push({ part, stream });
    }
    return checked.map(({ part, stream }) => {
      this.staged.set(part.streamId, stream);
      for (const event of part.events) {
        stream.read.push({ ...event, streamId: part.streamId, revision: stream.base + 1n + BigInt(stream.events.length), position: 0n });
        stream.events.push(event);
      }
      return { nextExpectedRevision: stream.base + BigInt(stream.events.length), position: 0n };
    });
  }

  /** Writes everything held in one transaction, then holds nothing. */
  async commit(): Promise<AppendResult[]> {
    const appends = [...this.staged].map(([streamId, { events, expected }]) => ({ streamId, events, expected }));
    this.staged.clear();
    return appends.length === 0 ? [] : this.inner.appendTogether(appends);
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const stream = this.staged.get(streamId);
    if (!stream) return this.inner.readStream(streamId, options);
    const held = stream.read;
    const max = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    if (options.direction === 'backwards') {
      const from = options.fromRevision ?? stream.base + BigInt(held.length);
      const newest: StoredEvent[] = [];
      for (let i = held.length - 1; i >= 0 && newest.length < max; i--) if (held[i].revision <= from) newest.push(held[i]);
      const older = stream.base >= 0n && newest.length < max ? await this.inner.readStream(streamId, { direction: 'backwards', fromRevision: from < stream.base ? from : stream.base, maxCount: max - newest.length }) : [];
      return [...newest, ...older];
    }
    const from = options.fromRevision ?? 0n;
    const older = from <= stream.base ? await this.inner.readStream(streamId, { fromRevision: from, ...(options.maxCount === undefined ? {} : { maxCount: max }) }) : [];
    return [...older, ...held.filter((e) => e.revision >= from)].slice(0, max);
  }

  /** The store underneath is not this one's to close. */
  async close(): Promise<void> {
    this.staged.clear();
  }

  private async lastRevision(streamId: string): Promise<bigint> {
    const [last] = await this.inner.readStream(streamId, { direction: 'backwards', maxCount: 1 });
    return last ? last.revision : -1n;
  }
}
