import { randomUUID } from 'node:crypto';
import { Decider, DomainError, DomainEvent, EVENT_SCHEMA_VERSIONS, notFound, ProgrammeEventType } from '@app/domain';
import { CommandContext } from './command-context';
import { deterministicUuid } from './deterministic-id';
import { EventStore, ExpectedRevision, NewEvent, StoredEvent, WrongExpectedRevisionError } from './event-store.port';

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
  constructor(
    private readonly store: EventStore,
    private readonly observer?: CommandObserver,
  ) {}

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
    const report = { command: typeof command === 'function' ? 'unknown' : commandType(command), outcome: 'failed' as CommandOutcome, appended: 0 };
    try {
      return await this.decideAndAppend(decider, streamId, command, context, options, report);
    } catch (error) {
      report.outcome = error instanceof DomainError ? (error.kind === 'conflict' ? 'conflict' : 'refused') : 'failed';
      throw error;
    } finally {
      this.observer?.handled(report);
    }
  }

  private async decideAndAppend<C, E extends DomainEvent, S>(
    decider: Decider<C, E, S>,
    streamId: string,
    command: C | ((state: S) => C | Promise<C>),
    context: CommandContext,
    options: HandleOptions<S>,
    report: { command: string; outcome: CommandOutcome; appended: number },
  ): Promise<HandleResult> {
    const { state, events, expected } = await this.load(decider, streamId);
    const replay = findReplay(events, context);
    if (replay) {
      report.outcome = 'replayed';
      return replay;
    }
    await this.assertKeyNotUsedElsewhere(context);
    if (options.mustExist && events.length === 0) throw notFound(options.mustExist.what, options.mustExist.id);
    options.onState?.(state);
    const resolved = typeof command === 'function' ? await (command as (state: S) => C | Promise<C>)(state) : command;
    report.command = commandType(resolved);
    const decided = decider.decide(resolved, state);
    if (decided.length === 0) {
      report.outcome = 'unchanged';
      return { position: last(events)?.position ?? 0n, replayed: false };
    }
    const firstRevision = expected === 'no_stream' ? 0n : (expected as bigint) + 1n;
    const toWrite = decided.map((event, i) => toNewEvent(event, streamId, firstRevision + BigInt(i), context));
    try {
      const result = await this.store.append(streamId, toWrite, expected);
      Object.assign(report, { outcome: 'accepted', appended: toWrite.length });
      await this.registerKey(context, streamId);
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
   * The stream tells a retry from a first attempt; this registry catches a key reused for another
   * aggregate (another route or id). It is written after the command's events: if the process dies
   * in between, a retry is still recognised by its own stream, and only cross-aggregate reuse of
   * that one key goes unnoticed.
   */
  private async assertKeyNotUsedElsewhere(context: CommandContext): Promise<void> {
    if (!context.idempotencyKey) return;
    const [used] = await this.store.readStream(keyStream(context.idempotencyKey), { maxCount: 1 });
    if (used && used.data.requestHash !== context.requestHash) throw idempotencyKeyReused(context.idempotencyKey);
  }

  private async registerKey(context: CommandContext, streamId: string): Promise<void> {
    if (!context.idempotencyKey) return;
    const event: NewEvent = {
      id: deterministicUuid('key', context.idempotencyKey),
      type: IDEMPOTENCY_KEY_USED,
      data: { requestHash: context.requestHash, stream: streamId },
      metadata: { actor: context.actor, recordedAt: context.now, correlationId: context.correlationId, commandId: context.commandId, schemaVersion: 1 },
    };
    await this.store.append(keyStream(context.idempotencyKey), [event], 'any');
  }
}

/** Bookkeeping of the API, not a programme event: projections never see it. */
export const IDEMPOTENCY_KEY_USED = 'IdempotencyKeyUsed';

function keyStream(key: string): string {
  return `idempotency-${deterministicUuid('key-stream', key)}`;
}

/** Domain commands carry their type; anything else is labelled by what it is not. */
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
