import {
  AllStreamResolvedEvent,
  ANY,
  AppendExpectedRevision,
  BACKWARDS,
  CancelledError,
  DeadlineExceededError,
  END,
  EventStoreDBClient,
  eventTypeFilter,
  excludeSystemEvents,
  FORWARDS,
  jsonEvent,
  NO_STREAM,
  NotLeaderError,
  Position,
  ReadPosition,
  ResolvedEvent,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  TimeoutError,
  UnavailableError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import {
  AppendResult,
  EventMetadata,
  EventStore,
  EventStoreUnavailableError,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
  SubscribeToAllOptions,
  Subscription,
  WrongExpectedRevisionError,
} from '../event-store.port';

/**
 * The EventStoreDB adapter, over the official gRPC client (@eventstore/db-client 6.2.1).
 *
 * Positions. Our global `position` is the event's $all commit position. EventStoreDB gives every
 * event a (commit, prepare) pair; for events appended over gRPC (implicit transactions, the only
 * kind this adapter writes and the only kind gRPC can write) both are the event's own log position,
 * so the commit position alone identifies the event and orders $all. That is the assumption this
 * adapter rests on: to read or subscribe from our position P it asks for {commit: P, prepare: P},
 * which is that event's exact position. Events written by legacy TCP clients in explicit
 * transactions share one commit position with prepare positions below it; they cannot be told
 * apart by our bigint, and are treated as all sitting at that commit position.
 *
 * Positions handed to `after` must therefore be 0n (the start) or positions this store returned
 * (an event's position or `headPosition()`): servers skip one event when subscribing from a
 * position that is not an event's, and servers since early 2024 (EventStore PR #4128) reject it.
 *
 * Stream reads report positions from EventStoreDB 22.6 on; older servers send 2^64-1 instead, which
 * `readStream` reports as UNKNOWN_POSITION. Appends and $all reads always carry positions.
 *
 * System events (type or stream name starting with `$`: epochs, stats, metadata, projection
 * bookkeeping, links) are never returned: subscriptions filter them out on the server, `readAll`
 * drops them as it pages (the client's readAll has no server-side filter in 6.2.1).
 *
 * Access: `readAll`, `headPosition` and `subscribeToAll` read $all, which a secure server allows
 * only to admins and operations users by default; the connection string's user needs that right.
 */
export class EsdbEventStore implements EventStore {
  private readonly readPageSize: number;
  private readonly caughtUpProbeMs: number;

  constructor(
    private readonly client: EventStoreDBClient,
    options: EsdbEventStoreOptions = {},
  ) {
    this.readPageSize = options.readPageSize ?? 500;
    this.caughtUpProbeMs = options.caughtUpProbeMs ?? 250;
  }

  /** Connects lazily: the client opens its channel on the first call. */
  static connect(connectionString: string, options?: EsdbEventStoreOptions): EsdbEventStore {
    return new EsdbEventStore(EventStoreDBClient.connectionString(connectionString), options);
  }

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    if (events.length === 0) throw new Error('append needs at least one event');
    try {
      const result = await this.client.appendToStream(
        streamId,
        events.map((event) =>
          jsonEvent({ id: event.id, type: event.type, data: event.data, metadata: event.metadata as unknown as Record<string, unknown> }),
        ),
        { expectedRevision: toClientRevision(expected) },
      );
      // A server answers an idempotent repeat it cannot place yet without a position; look it up.
      const position = result.position?.commit ?? (await this.positionOfRevision(streamId, result.nextExpectedRevision));
      return { nextExpectedRevision: result.nextExpectedRevision, position };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        throw new WrongExpectedRevisionError(streamId, expected, toActualRevision(error.actualVersion));
      }
      throw unavailableOnConnectionErrors(error, 'append');
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    if (options.maxCount === 0) return [];
    const backwards = options.direction === 'backwards';
    const read = this.client.readStream(streamId, {
      direction: backwards ? BACKWARDS : FORWARDS,
      fromRevision: options.fromRevision ?? (backwards ? END : START),
      ...(options.maxCount === undefined ? {} : { maxCount: options.maxCount }),
    });
    const events: StoredEvent[] = [];
    try {
      for await (const resolved of read) events.push(toStoredEvent(resolved));
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw unavailableOnConnectionErrors(error, 'read');
    }
    return events;
  }

  readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    return this.readAllPages(options).catch((error: unknown) => Promise.reject(unavailableOnConnectionErrors(error, 'read')));
  }

  private async readAllPages(options: ReadAllOptions): Promise<StoredEvent[]> {
    const { after = 0n, maxCount, eventTypes } = options;
    if (maxCount === 0 || eventTypes?.length === 0) return [];
    const visible = visibility(eventTypes);
    const events: StoredEvent[] = [];
    // Pages of $all, each starting (inclusively) at the last event of the previous one. `after` 0n
    // is the start of the log, not a position to skip. Every page is read to its end: a read left
    // half-consumed after the server has sent it all can no longer be cancelled, and the client's
    // dispose() would wait for it forever.
    const pageSize = Math.min(this.readPageSize, Math.max(MIN_PAGE_SIZE, maxCount ?? Infinity));
    let cursor: Position | undefined = after > 0n ? { commit: after, prepare: after } : undefined;
    for (;;) {
      let received = 0;
      for await (const resolved of this.client.readAll({ fromPosition: cursor ?? START, direction: FORWARDS, maxCount: pageSize })) {
        received += 1;
        const event = resolved.event;
        if (!event?.position || (cursor && !isAfter(event.position, cursor))) continue;
        cursor = event.position;
        if (visible(event) && (maxCount === undefined || events.length < maxCount)) events.push(toStoredEvent(resolved));
      }
      if (received < pageSize || (maxCount !== undefined && events.length >= maxCount)) return events;
    }
  }

  subscribeToAll(options: SubscribeToAllOptions): Subscription {
    return new CatchUpSubscription(this.client, this, options, this.caughtUpProbeMs);
  }

  /**
   * The position of the last event this store could return (0n if there is none), found by
   * reading $all backwards past trailing system events; ≥ every position `readAll` returns. If the
   * tail is a long run of system events it gives up and answers the very last event's position,
   * which is still ≥ every position we return.
   */
  headPosition(): Promise<bigint> {
    return this.searchHead().catch((error: unknown) => Promise.reject(unavailableOnConnectionErrors(error, 'read')));
  }

  private async searchHead(): Promise<bigint> {
    let cursor: ReadPosition = END;
    let tail: bigint | undefined;
    for (let page = 0; page < HEAD_SEARCH_PAGES; page++) {
      let received = 0;
      let found: bigint | undefined;
      const read = this.client.readAll({ fromPosition: cursor, direction: BACKWARDS, maxCount: MIN_PAGE_SIZE });
      for await (const resolved of read) {
        received += 1;
        const event = resolved.event;
        if (!event?.position) continue;
        tail ??= event.position.commit;
        if (found === undefined && !isSystemEvent(event)) found = event.position.commit;
        cursor = event.position;
      }
      if (found !== undefined) return found;
      if (received < MIN_PAGE_SIZE) return 0n;
    }
    return tail ?? 0n;
  }

  /** Position of the very last event in $all, system events included (0n if empty). */
  async tailPosition(): Promise<bigint> {
    let tail = 0n;
    for await (const resolved of this.client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 1 })) {
      tail = resolved.event?.position?.commit ?? tail;
    }
    return tail;
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }

  private async positionOfRevision(streamId: string, revision: bigint): Promise<bigint> {
    const [event] = await this.readStream(streamId, { fromRevision: revision, maxCount: 1 });
    return event?.position ?? UNKNOWN_POSITION;
  }
}

export interface EsdbEventStoreOptions {
  /** Events per page when `readAll` pages through $all. Default 500. */
  readPageSize?: number;
  /**
   * How long a subscription that has not been told it caught up waits, idle, before checking by
   * itself (servers before 23.10 send no `caughtUp`). Default 250 ms, doubling up to 4 s.
   */
  caughtUpProbeMs?: number;
}

export function openEsdbEventStore(connectionString: string, options?: EsdbEventStoreOptions): EsdbEventStore {
  return EsdbEventStore.connect(connectionString, options);
}

/**
 * The client's errors for a server that cannot be reached or is not serving (gone, restarting, no
 * leader, too slow): the service's environment, not the request. An append cut off in flight may
 * have landed (the server may have written it before the connection dropped), so it says so.
 */
function unavailableOnConnectionErrors(error: unknown, operation: 'append' | 'read'): unknown {
  const unreachable = error instanceof UnavailableError || error instanceof NotLeaderError;
  const cutOff = error instanceof CancelledError || error instanceof DeadlineExceededError || error instanceof TimeoutError;
  if (!unreachable && !cutOff) return error;
  const outcome = operation === 'append' && cutOff ? 'unknown' : 'not_written';
  return new EventStoreUnavailableError(`EventStoreDB cannot be reached right now (${(error as Error).message})`, error, outcome);
}

/** What `readStream` reports as the position of an event when the server did not give one. */
export const UNKNOWN_POSITION = -1n;

/** The smallest page read from $all; also the page of the backwards search for the head. */
const MIN_PAGE_SIZE = 64;
const HEAD_SEARCH_PAGES = 32;
/** EventStoreDB's "no position" (Position.End), which servers before 22.6 put on stream reads. */
const NO_POSITION = 2n ** 64n - 1n;

type RecordedEvent = NonNullable<ResolvedEvent['event']>;

function toClientRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      return expected;
  }
}

/** Servers before 21.x reported a missing stream as actual version -1 in an RPC error's metadata. */
function toActualRevision(actual: bigint | 'no_stream'): bigint | 'no_stream' {
  return actual === 'no_stream' || actual < 0n ? 'no_stream' : actual;
}

function isSystemEvent(event: RecordedEvent): boolean {
  return event.type.startsWith('$') || event.streamId.startsWith('$');
}

function visibility(eventTypes: readonly string[] | undefined): (event: RecordedEvent) => boolean {
  const wanted = eventTypes ? new Set(eventTypes) : undefined;
  return (event) => !isSystemEvent(event) && (!wanted || wanted.has(event.type));
}

function isAfter(position: Position, cursor: Position): boolean {
  return position.commit > cursor.commit || (position.commit === cursor.commit && position.prepare > cursor.prepare);
}

function positionOf(resolved: ResolvedEvent | AllStreamResolvedEvent): bigint | undefined {
  const commit = resolved.event?.position?.commit ?? resolved.commitPosition;
  return commit === undefined || commit >= NO_POSITION ? undefined : commit;
}

function toStoredEvent(resolved: ResolvedEvent | AllStreamResolvedEvent): StoredEvent {
  const event = resolved.event;
  if (!event) throw new Error('EventStoreDB returned a link without its event');
  return {
    id: event.id,
    type: event.type,
    streamId: event.streamId,
    revision: event.revision,
    position: positionOf(resolved) ?? UNKNOWN_POSITION,
    // This adapter writes JSON only; an event another writer stored as bytes comes back as bytes.
    data: event.data as Record<string, unknown>,
    metadata: (event.metadata ?? {}) as unknown as EventMetadata,
  };
}

/** A regex matching exactly these event types; the server's filter regex is .NET's, same escapes. */
function exactTypesRegex(eventTypes: readonly string[]): string {
  return `^(?:${eventTypes.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})$`;
}

type SignalBody = { kind: 'caughtUp' } | { kind: 'fellBehind' } | { kind: 'checkpoint'; position: bigint };
/** A side signal of the subscription, stamped with the number of events that came before it. */
type Signal = SignalBody & { at: number };

/**
 * A catch-up subscription to $all on the server's own subscription (catch-up then live), with the
 * event types filtered on the server.
 *
 * Order: the client's subscription is a Readable of events; `caughtUp`, `fellBehind` and
 * checkpoints arrive as side signals, emitted when the message is decoded, possibly while earlier
 * events still wait in the Readable's buffer. Each signal is therefore stamped with the number of
 * events that precede it (events taken so far + events still buffered) and acted upon only once
 * that many events have gone through `onEvent`.
 *
 * Caught up: on the server's `caughtUp` (EventStoreDB 23.10+). Older servers send none, so the
 * subscription also decides by itself, taking the last event of $all at the start as the head:
 * caught up once it has seen an event or a checkpoint at or past that head, or, when idle for a
 * while, once a read of $all shows no matching event after the last one it processed (a sparse
 * filter sees nothing at the head itself). Then, as the port asks, `onCaughtUp` again after each
 * run of live deliveries.
 */
class CatchUpSubscription implements Subscription {
  private stopped = false;
  private consumed = 0;
  private live = false;
  private deliveredSinceReport = false;
  /** Position of the last event delivered (or `after`); undefined from the start of the log. */
  private lastDelivered: bigint | undefined;
  /** Everything up to here has gone through the subscription (delivered or filtered out). */
  private seenUpTo: bigint;
  private head: bigint | undefined;
  private readonly signals: Signal[] = [];
  private failure: Error | undefined;
  private ended = false;
  private wakeUp: () => void = () => undefined;
  private woken = false;
  private readonly visible: (event: RecordedEvent) => boolean;
  private readonly subscription: ReturnType<EventStoreDBClient['subscribeToAll']> | undefined;
  private readonly loop: Promise<void>;

  constructor(
    client: EventStoreDBClient,
    private readonly store: EsdbEventStore,
    private readonly options: SubscribeToAllOptions,
    private readonly probeMs: number,
  ) {
    const after = options.after ?? 0n;
    this.lastDelivered = after > 0n ? after : undefined;
    this.seenUpTo = after;
    this.visible = visibility(options.eventTypes);
    const nothingWanted = options.eventTypes?.length === 0;
    if (!nothingWanted) {
      const filterOptions = {
        checkpointReached: (_: unknown, position: Position) => this.signal({ kind: 'checkpoint', position: position.commit }),
      };
      this.subscription = client.subscribeToAll({
        fromPosition: after > 0n ? { commit: after, prepare: after } : START,
        filter: options.eventTypes
          ? eventTypeFilter({ regex: exactTypesRegex(options.eventTypes), ...filterOptions })
          : excludeSystemEvents(filterOptions),
      });
      this.subscription.on('caughtUp', () => this.signal({ kind: 'caughtUp' }));
      this.subscription.on('fellBehind', () => this.signal({ kind: 'fellBehind' }));
      this.subscription.on('readable', () => this.wake());
      this.subscription.on('error', (error: Error) => {
        this.failure ??= error;
        this.wake();
      });
      this.subscription.on('end', () => {
        this.ended = true;
        this.wake();
      });
    }
    this.loop = this.run(nothingWanted).catch((error: unknown) => {
      if (this.stopped) return;
      this.stopped = true;
      void this.subscription?.unsubscribe();
      options.onError?.(error instanceof Error ? error : new Error(String(error)));
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.subscription?.unsubscribe();
    await this.loop;
  }

  private async run(nothingWanted: boolean): Promise<void> {
    if (nothingWanted) {
      await this.reportCaughtUp();
      return;
    }
    this.head = await this.store.tailPosition();
    if (this.head <= this.seenUpTo) await this.reportCaughtUp();
    let probeDelay = this.probeMs;

    while (!this.stopped) {
      if (await this.applyDueSignals()) continue;
      if (this.failure) throw this.failure;
      const resolved = this.subscription!.read() as AllStreamResolvedEvent | null;
      if (resolved === null) {
        if (this.ended) throw new Error('EventStoreDB ended the subscription');
        if (this.live) {
          if (this.deliveredSinceReport) await this.reportCaughtUp();
          else await this.idle();
          continue;
        }
        if (!(await this.idle(probeDelay))) continue;
        // Idle and not told it caught up: ask $all whether anything we want is left.
        const [next] = await this.store.readAll({ after: this.seenUpTo, eventTypes: this.options.eventTypes, maxCount: 1 });
        if (next === undefined) await this.reportCaughtUp();
        probeDelay = Math.min(probeDelay * 2, 16 * this.probeMs);
        continue;
      }
      this.consumed += 1;
      await this.deliver(resolved);
    }
  }

  private async deliver(resolved: AllStreamResolvedEvent): Promise<void> {
    const event = resolved.event;
    const position = positionOf(resolved);
    if (!event || position === undefined) return;
    if (this.lastDelivered !== undefined && position <= this.lastDelivered) return;
    if (this.visible(event)) {
      await this.options.onEvent(toStoredEvent(resolved));
      this.lastDelivered = position;
      this.deliveredSinceReport = true;
    }
    if (position > this.seenUpTo) this.seenUpTo = position;
    if (!this.live && this.head !== undefined && position >= this.head) await this.reportCaughtUp();
  }

  /** Acts on the signals whose preceding events have all been delivered; true if any was. */
  private async applyDueSignals(): Promise<boolean> {
    let applied = false;
    while (this.signals.length > 0 && this.signals[0].at <= this.consumed && !this.stopped) {
      const signal = this.signals.shift()!;
      applied = true;
      if (signal.kind === 'fellBehind') {
        // The server is catching up again, towards a head that has moved since we started.
        this.live = false;
        this.head = await this.store.tailPosition();
      } else if (signal.kind === 'caughtUp') {
        if (!this.live) await this.reportCaughtUp();
      } else {
        if (signal.position > this.seenUpTo) this.seenUpTo = signal.position;
        if (!this.live && this.head !== undefined && signal.position >= this.head) await this.reportCaughtUp();
      }
    }
    return applied;
  }

  private async reportCaughtUp(): Promise<void> {
    this.live = true;
    this.deliveredSinceReport = false;
    await this.options.onCaughtUp?.(this.lastDelivered);
  }

  private signal(signal: SignalBody): void {
    this.signals.push({ ...signal, at: this.consumed + (this.subscription?.readableLength ?? 0) });
    this.wake();
  }

  private wake(): void {
    this.woken = true;
    this.wakeUp();
  }

  /** Waits for something to happen; false if it did, true if `timeoutMs` passed in silence. */
  private idle(timeoutMs?: number): Promise<boolean> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve(false);
    }
    return new Promise<boolean>((resolve) => {
      const timer = timeoutMs === undefined ? undefined : setTimeout(() => finish(true), timeoutMs);
      const finish = (timedOut: boolean) => {
        clearTimeout(timer);
        this.wakeUp = () => undefined;
        this.woken = false;
        resolve(timedOut);
      };
      this.wakeUp = () => finish(false);
    });
  }
}
