import { randomUUID } from 'node:crypto';
import { Decider, DomainError, DomainEvent, EVENT_SCHEMA_VERSIONS, notFound, ProgrammeEventType } from '@app/domain';
import { CommandContext } from './command-context';
import { deterministicUuid } from './deterministic-id';
import { EventStore, ExpectedRevision, NewEvent, StoredEvent, StreamAppend, WrongExpectedRevisionError } from './event-store.port';

export interface Loaded<State> {
  state: State;
  events: StoredEvent[];
  /** What to expect when appending after these events. */
  expected: ExpectedRevision;
}

export interface HandleResult {
  /** Global position of the last event written (or, on an idempotent replay, first written). */
  position: bigint;
  /** The command had been handled before under the same Idempotency-Key: nothing was written. */
  replayed: boolean;
}

export interface HandleOptions<State> {
  /** Refuse with 404 when the stream is empty (commands on an existing aggregate). */
  mustExist?: { what: string; id: string };
  /** Exposed for tests that need to observe the state the command was decided on. */
  onState?: (state: State) => void;
}

/**
 * Runs a decider against its stream: read, fold, decide, append with optimistic concurrency.
 * Idempotency lives in the stream itself: every event carries the command's Idempotency-Key and
 * request hash, so a retry finds its own earlier events in the same read that rebuilds the state,
 * with no second store to keep in step (and so no window in which the two disagree).
 */
export class AggregateStore {
  constructor(private readonly store: EventStore) {}

  async load<C, E extends DomainEvent, S>(decider: Decider<C, E, S>, streamId: string): Promise<Loaded<S>> {
    const events = await this.store.readStream(streamId);
    let state = decider.initialState();
    for (const event of events) state = decider.evolve(state, { type: event.type, data: event.data } as unknown as E);
    const last = events[events.length - 1];
    return { state, events, expected: last ? last.revision : 'no_stream' };
  }

  async handle<C, E extends DomainEvent, S>(
    decider: Decider<C, E, S>,
    streamId: string,
    command: C | ((state: S) => C | Promise<C>),
    context: CommandContext,
    options: HandleOptions<S> = {},
  ): Promise<HandleResult> {
    const { state, events, expected } = await this.load(decider, streamId);
    const replay = findReplay(events, context);
    if (replay) {
      await this.repairKey(context, streamId, replay.position);
      return replay;
    }
    await this.assertKeyNotUsedElsewhere(context);
    if (options.mustExist && events.length === 0) throw notFound(options.mustExist.what, options.mustExist.id);
    options.onState?.(state);
    const resolved = typeof command === 'function' ? await (command as (state: S) => C | Promise<C>)(state) : command;
    const decided = decider.decide(resolved, state);
    if (decided.length === 0) return { position: last(events)?.position ?? 0n, replayed: false };
    const firstRevision = expected === 'no_stream' ? 0n : (expected as bigint) + 1n;
    const toWrite = decided.map((event, i) => toNewEvent(event, streamId, firstRevision + BigInt(i), context));
    const keyRecord = keyRecordOf(context, streamId);
    try {
      if (keyRecord && this.store.appendTogether) {
        const [result] = await this.store.appendTogether([{ streamId, events: toWrite, expected }, keyRecord]);
        return { position: result!.position, replayed: false };
      }
      const result = await this.store.append(streamId, toWrite, expected);
      if (keyRecord) await this.recordKey(keyRecord, streamId, result.position);
      return { position: result.position, replayed: false };
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) {
        throw new DomainError('CONCURRENT_MODIFICATION', `${streamId} was changed by another request; read it again and retry`, 'conflict', {
          stream: streamId,
        });
      }
      throw error;
    }
  }

  /**
   * The stream tells a retry from a first attempt; the key registry catches a key reused for another
   * aggregate (another route or id). Stores with multi-stream transactions write the registry record
   * with the command's events; on the others it follows them (see `recordKey`).
   */
  private async assertKeyNotUsedElsewhere(context: CommandContext): Promise<void> {
    if (!context.idempotencyKey) return;
    const [used] = await this.store.readStream(keyStream(context.idempotencyKey), { maxCount: 1 });
    if (used && used.data.requestHash !== context.requestHash) throw idempotencyKeyReused(context.idempotencyKey);
  }

  /**
   * Written after the events where the store cannot write both at once. If it fails, the answer says
   * that the command's events landed and only the key record is missing; a retry with the same key
   * finds its events in the stream and writes the record then (`repairKey`).
   */
  private async recordKey(keyRecord: StreamAppend, streamId: string, position: bigint): Promise<void> {
    try {
      await this.store.append(keyRecord.streamId, keyRecord.events, keyRecord.expected);
    } catch (error) {
      throw new IdempotencyKeyNotRecordedError(streamId, position, error);
    }
  }

  /** A retry of a command whose key record was lost (see `recordKey`) completes it. */
  private async repairKey(context: CommandContext, streamId: string, position: bigint): Promise<void> {
    const keyRecord = keyRecordOf(context, streamId);
    if (!keyRecord) return;
    const [recorded] = await this.store.readStream(keyRecord.streamId, { maxCount: 1 });
    if (!recorded) await this.recordKey(keyRecord, streamId, position);
  }
}

/**
 * The command's events are in the log (up to `position`) but its Idempotency-Key record is not: the
 * command happened, and a retry with the same key and body completes the bookkeeping without
 * writing the events again.
 */
export class IdempotencyKeyNotRecordedError extends Error {
  constructor(
    readonly streamId: string,
    readonly position: bigint,
    override readonly cause: unknown,
  ) {
    super(`The events of ${streamId} were written (up to position ${position}) but the Idempotency-Key record was not`);
    this.name = 'IdempotencyKeyNotRecordedError';
  }
}

function keyRecordOf(context: CommandContext, streamId: string): StreamAppend | undefined {
  if (!context.idempotencyKey) return undefined;
  const event: NewEvent = {
    id: deterministicUuid('key', context.idempotencyKey),
    type: IDEMPOTENCY_KEY_USED,
    data: { requestHash: context.requestHash, stream: streamId },
    metadata: { actor: context.actor, recordedAt: context.now, correlationId: context.correlationId, commandId: context.commandId, schemaVersion: 1 },
  };
  return { streamId: keyStream(context.idempotencyKey), events: [event], expected: 'any' };
}

/** Bookkeeping of the API, not a programme event: projections never see it. */
export const IDEMPOTENCY_KEY_USED = 'IdempotencyKeyUsed';

function keyStream(key: string): string {
  return `idempotency-${deterministicUuid('key-stream', key)}`;
}

function last<T>(items: readonly T[]): T | undefined {
  return items[items.length - 1];
}

/** A retry with the same key and the same request answers like the first; another request under that key is refused. */
function findReplay(events: readonly StoredEvent[], context: CommandContext): HandleResult | undefined {
  if (!context.idempotencyKey) return undefined;
  let found: StoredEvent | undefined;
  for (const event of events) if (event.metadata.idempotencyKey === context.idempotencyKey) found = event;
  if (!found) return undefined;
  if (found.metadata.requestHash !== context.requestHash) throw idempotencyKeyReused(context.idempotencyKey);
  return { position: found.position, replayed: true };
}

export function idempotencyKeyReused(key: string): DomainError {
  return new DomainError('IDEMPOTENCY_KEY_REUSED', `Idempotency-Key ${key} was already used for a different request`, 'rule');
}

function toNewEvent(event: DomainEvent, streamId: string, revision: bigint, context: CommandContext): NewEvent {
  const { actor, now, commandId, correlationId, causationId, idempotencyKey, requestHash } = context;
  return {
    id: idempotencyKey ? deterministicUuid('event', idempotencyKey, streamId, revision.toString()) : randomUUID(),
    type: event.type,
    data: event.data as Record<string, unknown>,
    metadata: {
      actor,
      recordedAt: now,
      correlationId,
      ...(causationId ? { causationId } : {}),
      commandId,
      ...(idempotencyKey ? { idempotencyKey, requestHash } : {}),
      schemaVersion: EVENT_SCHEMA_VERSIONS[event.type as ProgrammeEventType] ?? 1,
    },
  };
}
