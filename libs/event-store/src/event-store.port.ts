/**
 * The event store port: what the service needs from an event store, and nothing more.
 * Adapters (EventStoreDB, embedded SQLite) pass one shared contract suite (test/contract).
 *
 * Positions are bigint: EventStoreDB's commit positions are 64-bit. A position is monotonic in
 * log order; the embedded store's positions are also gap-free (1, 2, 3, ...), EventStoreDB's are not.
 */

export const EVENT_STORE = Symbol('EVENT_STORE');

/** Who asked, and why: stored with every event so that auditors can trace it. */
export interface EventMetadata {
  /** The authenticated subject (or, with authentication off, whatever the client said). */
  actor: string;
  actorName?: string;
  /** The credential the actor authenticated with: an API key's id, or the issuer of an OIDC token. */
  credential?: Credential;
  /** ISO-8601 instant at which the service recorded the event. */
  recordedAt: string;
  correlationId: string;
  causationId?: string;
  commandId?: string;
  /** Present when the command carried an Idempotency-Key. */
  idempotencyKey?: string;
  /** Hash of the request that produced the event; a retry with another body is refused. */
  requestHash?: string;
  /** Version of the event's data schema (see the domain's event definitions). */
  schemaVersion: number;
  /** Link of the stream's hash chain (set by HashChainEventStore; absent on events written before chains). */
  hash?: string;
}

export interface Credential {
  kind: 'api-key' | 'oidc' | 'none';
  id: string;
}

export interface NewEvent {
  /** A UUID. EventStoreDB (and our embedded store) treat a repeated id as a duplicate. */
  id: string;
  type: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
  /**
   * `data` and `metadata` already written as JSON by a layer that had to write them anyway (the
   * hash chain): a store that keeps JSON stores these strings instead of writing the values again.
   */
  json?: { data: string; metadata: string };
}

export interface StoredEvent {
  id: string;
  type: string;
  streamId: string;
  /** 0-based revision of the event inside its stream. */
  revision: bigint;
  /** Global position in the log. */
  position: bigint;
  data: Record<string, unknown>;
  metadata: EventMetadata;
}

/**
 * What the writer believes about the stream:
 * - 'any': no check;
 * - 'no_stream': the stream must not exist;
 * - 'stream_exists': the stream must exist;
 * - a bigint: the revision of the stream's last event.
 */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

export interface AppendResult {
  /** Revision of the last event written (the next expected revision). */
  nextExpectedRevision: bigint;
  /** Global position of the last event written. */
  position: bigint;
}

export interface ReadStreamOptions {
  /** Inclusive start revision; defaults to the start (forwards) or the end (backwards). */
  fromRevision?: bigint;
  direction?: 'forwards' | 'backwards';
  maxCount?: number;
}

export interface ReadAllOptions {
  /**
   * Exclusive: only events whose position is strictly greater. 0n (the default) is the start of the
   * log; any other value must be a position this store returned (EventStoreDB refuses others).
   */
  after?: bigint;
  maxCount?: number;
  /** Only events whose type is one of these. System events are never returned. */
  eventTypes?: readonly string[];
}

export interface SubscribeToAllOptions extends Omit<ReadAllOptions, 'maxCount'> {
  /** Called in log order; the next event is delivered only after the promise resolves. */
  onEvent(event: StoredEvent): Promise<void> | void;
  /** Called when the subscription has delivered everything in the log: once at first, then again after each new delivery. */
  onCaughtUp?(position: bigint | undefined): Promise<void> | void;
  /** Called once if the subscription stops on an error. */
  onError?(error: Error): void;
}

export interface Subscription {
  stop(): Promise<void>;
}

/** One stream's part of an append to several streams. */
export interface StreamAppend {
  streamId: string;
  events: readonly NewEvent[];
  expected: ExpectedRevision;
}

export interface EventStore {
  /**
   * Appends atomically: all events or none. A repeat of the same event ids at the same place in
   * the same stream is a success that writes nothing and answers as the first append did
   * (EventStoreDB's idempotent append).
   * @throws WrongExpectedRevisionError when `expected` does not hold
   */
  append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult>;
  /**
   * Appends to several streams in one transaction: every part or none, each checked and answered as
   * `append` would. Only stores with multi-stream transactions have it (SQLite; EventStoreDB has none).
   * @throws WrongExpectedRevisionError when the expectation of any part does not hold (then nothing is written)
   */
  appendTogether?(appends: readonly StreamAppend[]): Promise<AppendResult[]>;
  /** The stream's events; an empty list when the stream does not exist. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]>;
  /**
   * Every event of these streams (each read whole), merged in log order; a stream that does not
   * exist adds nothing, and one named twice is read once. What an audit of a unit reads: a
   * province's figures stand on tens of thousands of streams. Only stores that can read many
   * streams in one query have it (SQLite); callers read the others stream by stream.
   */
  readStreams?(streamIds: readonly string[]): Promise<StoredEvent[]>;
  /** Events of the whole log in position order, excluding system events (type or stream starting with `$`). */
  readAll(options?: ReadAllOptions): Promise<StoredEvent[]>;
  /** Catch-up subscription to the whole log, then live. Do not await `stop()` from inside `onEvent`: it waits for that very call. */
  subscribeToAll(options: SubscribeToAllOptions): Subscription;
  /** Position of the last non-system event in the log (0n when empty). */
  headPosition(): Promise<bigint>;
  /**
   * Calls `listener` once per committed group of this process's appends; returns how to stop.
   * Only stores whose other readers cannot hear of a commit by themselves have it (SQLite: the
   * service's projector thread reads the file on its own connection).
   */
  onAppend?(listener: () => void): () => void;
  close(): Promise<void>;
}

export class WrongExpectedRevisionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** The stream's actual last revision, or 'no_stream'. */
    readonly actual: bigint | 'no_stream',
  ) {
    super(`Stream ${streamId}: expected revision ${String(expected)}, actual ${String(actual)}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

/**
 * The store cannot be written or read right now (disk full, read-only file system, I/O error, a
 * server that cannot be reached): a condition of the service's environment, not of the request,
 * that may pass by itself. Whatever failed this way wrote nothing, unless `written` says 'unknown'.
 */
export class EventStoreUnavailableError extends Error {
  constructor(
    message: string,
    override readonly cause?: unknown,
    /** 'unknown': the connection dropped while an append was in flight, which the server may have written. */
    readonly written: 'not_written' | 'unknown' = 'not_written',
  ) {
    super(message);
    this.name = 'EventStoreUnavailableError';
  }
}
