import { randomUUID } from 'node:crypto';
import { ConcurrentModificationError, IdempotencyKeyReusedError } from './aggregate-errors';
import { CommandContext } from './command-context';
import { deterministicUuid } from './deterministic-id';
import { AggregateDecider, EventCodec } from './event-codec';
import { EventStore, EventStoreUnavailableError, ExpectedRevision, NewEvent, StoredEvent, StreamAppend, WrongExpectedRevisionError } from './event-store.port';

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

export type CommandOutcome = 'accepted' | 'replayed' | 'unchanged' | 'refused' | 'conflict' | 'failed';

/** Told of every command handled, for metrics: its type (when it got that far), outcome and the events it appended. */
export interface CommandObserver {
  handled(report: { command: string; outcome: CommandOutcome; appended: number }): void;
}

export interface HandleOptions<State> {
  /** The error to throw when the stream is empty (commands on an existing aggregate). */
  mustExist?: () => Error;
  /** Exposed for tests that need to observe the state the command was decided on. */
  onState?: (state: State) => void;
  /**
   * A stream that serialises decisions reading other aggregates' state (the unit tree, for moves):
   * the command's events are claimed on it at the revision read before the command was resolved,
   * so of two decisions made on the same view of the others, the second is refused (409).
   */
  guard?: string | Guard;
  /**
   * A state kept from an earlier load or catch-up of this stream: the command is decided on it
   * brought up to date with only the events appended since, not on a read of the whole stream. For
   * a process that writes to one long stream again and again: a reorganisation's progress, whose
   * stream begins with a decision of up to 100,000 steps that every load would read and parse.
   * Not for a command with an Idempotency-Key (its replay is found among the stream's events).
   */
  kept?: Pick<Loaded<State>, 'state' | 'expected'>;
}

export interface Guard {
  stream: string;
  /**
   * How many times a decision refused by its guard is made again on a fresh view before the 409:
   * for guards that independent decisions share (submissions into one unit), whose conflicts are
   * rarely real. Nothing was written by the refused attempt. Default 0.
   */
  retries?: number;
}

/**
 * Runs a decider against its stream: read, fold, decide, append with optimistic concurrency.
 * Idempotency lives in the stream itself: every event carries the command's Idempotency-Key and
 * request hash, so a retry finds its own earlier events in the same read that rebuilds the state,
 * with no second store to keep in step (and so no window in which the two disagree).
 */
export class AggregateStore<Event extends { type: string }> {
  constructor(
    private readonly store: EventStore,
    private readonly codec: EventCodec<Event>,
    private readonly observer?: CommandObserver,
  ) {}

  async load<C, E extends Event, S>(decider: AggregateDecider<C, E, S>, streamId: string): Promise<Loaded<S>> {
    const events = await this.store.readStream(streamId);
    let state = decider.initialState();
    // A stream holds only its own aggregate's events: what the codec decodes from it is an E.
    for (const event of events) state = decider.evolve(state, this.codec.decode(event) as E);
    const last = events[events.length - 1];
    return { state, events, expected: last ? last.revision : 'no_stream' };
  }

  /**
   * A state loaded earlier, brought up to date with only the events appended since: for a state
   * kept between commands (the access grants read on every request). `from` is not to be used
   * again: an evolve may extend the state it is given (see evolveAccess).
   */
  async catchUp<C, E extends Event, S>(decider: AggregateDecider<C, E, S>, streamId: string, from: Pick<Loaded<S>, 'state' | 'expected'>): Promise<Pick<Loaded<S>, 'state' | 'expected'>> {
    const { state, expected } = await this.since(decider, streamId, from);
    return { state, expected };
  }

  /** `from` brought up to date, with the events read to do it. */
  private async since<C, E extends Event, S>(decider: AggregateDecider<C, E, S>, streamId: string, from: Pick<Loaded<S>, 'state' | 'expected'>): Promise<Loaded<S>> {
    if (typeof from.expected !== 'bigint') return this.load(decider, streamId);
    const events = await this.store.readStream(streamId, { fromRevision: from.expected + 1n });
    let state = from.state;
    for (const event of events) state = decider.evolve(state, this.codec.decode(event) as E);
    const last = events[events.length - 1];
    return { state, events, expected: last ? last.revision : from.expected };
  }

  async handle<C, E extends Event, S>(
    decider: AggregateDecider<C, E, S>,
    streamId: string,
    command: C | ((state: S) => C | Promise<C>),
    context: CommandContext,
    options: HandleOptions<S> = {},
  ): Promise<HandleResult> {
    const report = { command: typeof command === 'function' ? 'unknown' : commandType(command), outcome: 'failed' as CommandOutcome, appended: 0 };
    const guard = typeof options.guard === 'string' ? { stream: options.guard } : options.guard;
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          return await this.decideAndAppend(decider, streamId, command, context, options, guard, report);
        } catch (error) {
          const refusedByGuard = guard !== undefined && error instanceof ConcurrentModificationError && error.streamId === guard.stream;
          if (!refusedByGuard || attempt >= (guard.retries ?? 0)) throw error;
        }
      }
    } catch (error) {
      report.outcome = outcomeOf(error);
      throw error;
    } finally {
      this.observer?.handled(report);
    }
  }

  private async decideAndAppend<C, E extends Event, S>(
    decider: AggregateDecider<C, E, S>,
    streamId: string,
    command: C | ((state: S) => C | Promise<C>),
    context: CommandContext,
    options: HandleOptions<S>,
    guard: Guard | undefined,
    report: { command: string; outcome: CommandOutcome; appended: number },
  ): Promise<HandleResult> {
    const guardRevision = guard === undefined ? undefined : await this.settleGuard(guard.stream);
    if (options.kept && context.idempotencyKey) throw new Error('A command with an Idempotency-Key is decided on its whole stream');
    const { state, events, expected } = options.kept ? await this.since(decider, streamId, options.kept) : await this.load(decider, streamId);
    const replay = findReplay(events, context);
    if (replay) {
      report.outcome = 'replayed';
      await this.repairKey(context, streamId, replay.position);
      return replay;
    }
    await this.assertKeyNotUsedElsewhere(context);
    if (options.mustExist && expected === 'no_stream') throw options.mustExist();
    options.onState?.(state);
    const resolved = typeof command === 'function' ? await (command as (state: S) => C | Promise<C>)(state) : command;
    report.command = commandType(resolved);
    const decided = decider.decide(resolved, state);
    if (decided.length === 0) {
      report.outcome = 'unchanged';
      return { position: last(events)?.position ?? 0n, replayed: false };
    }
    const firstRevision = expected === 'no_stream' ? 0n : (expected as bigint) + 1n;
    const toWrite = decided.map((event, i) => this.toNewEvent(event, streamId, firstRevision + BigInt(i), context));
    const keyRecord = keyRecordOf(context, streamId);
    const claim = guard === undefined ? undefined : claimOf(guard.stream, guardRevision!, streamId, expected, toWrite, context);
    try {
      // Where the store writes several streams in one transaction, the claim, the events and the key record land together or not at all.
      if ((keyRecord || claim) && this.store.appendTogether) {
        const results = await this.store.appendTogether([...(claim ? [claim] : []), { streamId, events: toWrite, expected }, ...(keyRecord ? [keyRecord] : [])]);
        Object.assign(report, { outcome: 'accepted', appended: toWrite.length });
        return { position: results[claim ? 1 : 0]!.position, replayed: false };
      }
      if (claim) await this.store.append(claim.streamId, claim.events, claim.expected);
      const result = await this.store.append(streamId, toWrite, expected).catch((error: unknown) => {
        // The claim stands, and the next decision on the guard writes these events: the answer must not say nothing was written.
        throw claim && error instanceof EventStoreUnavailableError ? new EventStoreUnavailableError(error.message, error, 'unknown') : error;
      });
      Object.assign(report, { outcome: 'accepted', appended: toWrite.length });
      if (keyRecord) await this.recordKey(keyRecord, streamId, result.position);
      return { position: result.position, replayed: false };
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) throw new ConcurrentModificationError(error.streamId);
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
    if (used && used.data.requestHash !== context.requestHash) throw new IdempotencyKeyReusedError(context.idempotencyKey);
  }

  /**
   * The guard's last claim may not have reached its own stream yet (its writer is between the two
   * appends, or died there): it is written now, idempotently (same ids, same place), so that what
   * this command then reads of the other aggregates includes it. A claim whose place in its stream
   * was taken by another event never happened and never will: it is void.
   */
  private async settleGuard(guard: string): Promise<ExpectedRevision> {
    const [lastClaim] = await this.store.readStream(guard, { direction: 'backwards', maxCount: 1 });
    if (!lastClaim) return 'no_stream';
    const claim = lastClaim.data as unknown as Claim;
    await this.store.append(claim.stream, claim.events, claim.expected === null ? 'no_stream' : BigInt(claim.expected)).catch((error: unknown) => {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
    });
    return lastClaim.revision;
  }

  private toNewEvent(event: Event, streamId: string, revision: bigint, context: CommandContext): NewEvent {
    const { actor, actorName, credential, now, commandId, correlationId, causationId, idempotencyKey, requestHash } = context;
    const { type, data, schemaVersion } = this.codec.encode(event);
    return {
      id: idempotencyKey ? deterministicUuid('event', idempotencyKey, streamId, revision.toString()) : randomUUID(),
      type,
      data,
      // In key order: the hash chain's canonical form then takes the metadata as it is, with no copy.
      metadata: {
        actor,
        ...(actorName !== undefined ? { actorName } : {}),
        ...(causationId ? { causationId } : {}),
        commandId,
        correlationId,
        ...(credential ? { credential } : {}),
        ...(idempotencyKey ? { idempotencyKey } : {}),
        recordedAt: now,
        ...(idempotencyKey ? { requestHash } : {}),
        schemaVersion,
      },
    };
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

/** The command's events claimed on its guard at the revision read before it was decided (see HandleOptions.guard). */
function claimOf(guard: string, revision: ExpectedRevision, stream: string, expected: ExpectedRevision, events: NewEvent[], context: CommandContext): StreamAppend {
  const claim: Claim = { stream, expected: expected === 'no_stream' ? null : String(expected), events };
  // Never a key-derived id: a retry claims afresh, at the guard's new revision.
  const id = randomUUID();
  const metadata = { ...actorOf(context), recordedAt: context.now, correlationId: context.correlationId, commandId: context.commandId, schemaVersion: 1 };
  return { streamId: guard, events: [{ id, type: GUARD_CLAIMED, data: claim as unknown as Record<string, unknown>, metadata }], expected: revision };
}

function keyRecordOf(context: CommandContext, streamId: string): StreamAppend | undefined {
  if (!context.idempotencyKey) return undefined;
  const event: NewEvent = {
    id: deterministicUuid('key', context.idempotencyKey),
    type: IDEMPOTENCY_KEY_USED,
    data: { requestHash: context.requestHash, stream: streamId },
    metadata: { ...actorOf(context), recordedAt: context.now, correlationId: context.correlationId, commandId: context.commandId, schemaVersion: 1 },
  };
  return { streamId: keyStream(context.idempotencyKey), events: [event], expected: 'any' };
}

/** Bookkeeping of the API, not a programme event: projections never see it. */
export const IDEMPOTENCY_KEY_USED = 'IdempotencyKeyUsed';

/** Bookkeeping of a guard stream: the events a command is about to append to its own stream, and where. */
export const GUARD_CLAIMED = 'GuardClaimed';

/** Events the aggregate store writes for itself: no projection reads them, the projector's checkpoint passes them. */
export const BOOKKEEPING_EVENT_TYPES: readonly string[] = [IDEMPOTENCY_KEY_USED, GUARD_CLAIMED];

interface Claim {
  stream: string;
  /** The revision the events go after (digits), or null for a new stream. */
  expected: string | null;
  events: NewEvent[];
}

function keyStream(key: string): string {
  return `idempotency-${deterministicUuid('key-stream', key)}`;
}

/** Domain commands carry their type; anything else is labelled by what it is not. */
/** Domain errors carry their kind (a conflict, or a rule or a missing aggregate: refused); anything else failed. */
function outcomeOf(error: unknown): CommandOutcome {
  if (error instanceof ConcurrentModificationError) return 'conflict';
  if (error instanceof IdempotencyKeyReusedError) return 'refused';
  const kind = (error as { kind?: unknown } | null)?.kind;
  if (kind === 'conflict') return 'conflict';
  return typeof kind === 'string' ? 'refused' : 'failed';
}

function commandType(command: unknown): string {
  const type = (command as { type?: unknown } | null)?.type;
  return typeof type === 'string' ? type : 'unknown';
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
  if (found.metadata.requestHash !== context.requestHash) throw new IdempotencyKeyReusedError(context.idempotencyKey);
  return { position: found.position, replayed: true };
}

function actorOf({ actor, actorName, credential }: CommandContext): Pick<NewEvent['metadata'], 'actor' | 'actorName' | 'credential'> {
  return { actor, ...(actorName !== undefined ? { actorName } : {}), ...(credential ? { credential } : {}) };
}
