import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { createHash, randomUUID } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { DomainError, ReorganisationDecided, reorganisationDecider, reorganisationEventCodec, ReorganisationState, streams, unitDecider, UnitState, UnitTree, unitRequestOf } from '@app/domain';
import {
  CommandContext,
  ConcurrentModificationError,
  EVENT_STORE,
  EventStore,
  EventStoreUnavailableError,
  IdempotencyKeyNotRecordedError,
  hasTransactions,
  Loaded,
  StagedEventStore,
  TransactionalEventStore,
  WrongExpectedRevisionError,
} from '@app/event-store';
import { Aggregates, ReorganisationAggregates } from '../common/aggregates';
import { Lookups } from '../common/lookups';
import { ProblemException } from '../common/problem';
import { UnitCommandHandler, UnitCommandMessage } from '../units/commands/unit-command';
import { CurrentTree } from './current-tree';

export interface ReorganisationStatus {
  id: string;
  documentRef: string;
  effectiveOn: string;
  /** running here; done; interrupted (by an error or a stop: it resumes on the next start, or when the same decision is submitted again). */
  state: 'running' | 'done' | 'interrupted';
  stepsTotal: number;
  stepsDone: number;
  decidedBy: string;
  decidedAt: string;
  finishedAt: string | null;
  /** Steps per second since this process started or resumed it. */
  rate: number;
  etaSeconds: number | null;
  error: string | null;
}

/** A step that lost a race (a concurrent command on the tree) or waited too long for the read side is tried again, this often. */
const ATTEMPTS = 8;
/** Steps decided between two turns of the event loop while a batch is decided: the service's other answers wait no longer than that. */
const STEPS_PER_TURN = 2;

type Decision = ReorganisationDecided['data'];

/**
 * Carries out decided reorganisations as a process: each step is the ordinary unit command, sent
 * with an Idempotency-Key derived from the decision and the step, so that a step carried out before
 * a crash is answered from its own events and written no second time, on any event store (none of
 * this needs a transaction across streams). Where the store has such transactions, steps are
 * written in batches (see `batchSize`), for speed; each step's events are still those of its own
 * command. Progress is checkpointed in the decision's stream; on start, every decision not
 * completed is resumed from its checkpoint.
 */
@Injectable()
export class ReorganisationRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Reorganisation');
  private readonly jobs = new Map<string, { status: ReorganisationStatus; done: Promise<void>; startedAt: number; startedFrom: number }>();
  private stopping = false;
  /**
   * Steps written in one transaction, with their progress, where the store writes several streams
   * in one (SQLite): a crash loses the whole batch or nothing, and the checkpoint is always exact.
   * 1: every step its own command, as on EventStoreDB.
   */
  batchSize = 50;
  /** Progress of steps carried out one at a time is recorded in the decision's stream this often: a restart replays at most this many steps' idempotent commands. */
  checkpointEvery = 50;

  constructor(
    private readonly aggregates: ReorganisationAggregates,
    private readonly commands: CommandBus,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    private readonly currentTree: CurrentTree,
  ) {}

  /** Picks up every unfinished decision before the service answers, so that none reads as interrupted while it is about to resume. */
  async onApplicationBootstrap(): Promise<void> {
    await this.resumeUnfinished().catch((error: unknown) => this.logger.error(`Cannot resume reorganisations: ${(error as Error).message}`));
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.jobs.values()].map((job) => job.done));
  }

  /** The reorganisations this process is carrying out now (what every answer mentions while they run). */
  inProgress(): ReorganisationStatus[] {
    return [...this.jobs.values()].map((job) => job.status).filter((status) => status.state === 'running');
  }

  async load(id: string): Promise<ReorganisationState> {
    return (await this.loadStream(id)).state;
  }

  private loadStream(id: string): Promise<Loaded<ReorganisationState>> {
    return this.aggregates.load(reorganisationDecider, streams.reorganisation(id));
  }

  /** Its status: as this process runs it, else as its stream records it. */
  async status(id: string): Promise<ReorganisationStatus | undefined> {
    const job = this.jobs.get(id);
    if (job) return { ...job.status };
    const state = await this.load(id);
    if (state.status === 'none') return undefined;
    return { ...initialStatus(state.decision, state.stepsDone), state: state.status === 'completed' ? 'done' : 'interrupted' };
  }

  /** Starts (or resumes) carrying out a decision unless it is running here or done; resolves at once. */
  async start(id: string): Promise<ReorganisationStatus> {
    const running = this.jobs.get(id);
    if (running?.status.state === 'running') return { ...running.status };
    const loaded = await this.loadStream(id);
    const { state } = loaded;
    if (state.status === 'none') throw new DomainError('REORGANISATION_NOT_FOUND', `Reorganisation ${id} does not exist`, 'not_found', { id });
    if (state.status === 'completed' || this.stopping) return (await this.status(id))!;
    const status = initialStatus(state.decision, state.stepsDone);
    const job = { status, startedAt: Date.now(), startedFrom: state.stepsDone, done: Promise.resolve() };
    this.jobs.set(id, job);
    job.done = this.carryOut(state.decision, job, loaded).catch((error: unknown) => {
      status.state = 'interrupted';
      status.error = (error as Error).message;
      this.logger.error(`Reorganisation ${id} (${state.decision.documentRef}) interrupted at step ${status.stepsDone + 1}: ${(error as Error).message}`);
    });
    return { ...status };
  }

  private async resumeUnfinished(): Promise<void> {
    const events = await this.events.readAll({ eventTypes: ['ReorganisationDecided', 'ReorganisationCompleted'] });
    const unfinished = new Set<string>();
    for (const event of events) {
      const { type, data } = reorganisationEventCodec.decode(event);
      if (type === 'ReorganisationDecided') unfinished.add(data.reorganisationId);
      else unfinished.delete(data.reorganisationId);
    }
    for (const id of unfinished) await this.start(id);
  }

  /** `loaded`: the decision's stream as read to start: after that, only what is appended to it is read. */
  private async carryOut(decision: Decision, job: { status: ReorganisationStatus; startedAt: number; startedFrom: number }, loaded: Pick<Loaded<ReorganisationState>, 'state' | 'expected'>): Promise<void> {
    const { status } = job;
    const stream = streams.reorganisation(decision.reorganisationId);
    const batch = hasTransactions(this.events) && this.batchSize > 1 ? { store: this.events, tree: await this.currentTree.load() } : undefined;
    let kept = loaded;
    while (status.stepsDone < decision.steps.length) {
      if (this.stopping) {
        status.state = 'interrupted';
        return;
      }
      const from = status.stepsDone;
      if (batch) {
        const to = Math.min(decision.steps.length, from + this.batchSize);
        await this.carryOutBatch(decision, from, to, batch, kept);
        status.stepsDone = to;
        kept = await this.aggregates.catchUp(reorganisationDecider, stream, kept);
      } else {
        await this.carryOutStep(decision, from);
        status.stepsDone = from + 1;
        if (status.stepsDone % this.checkpointEvery === 0 && status.stepsDone < status.stepsTotal) {
          await this.aggregates.handle(reorganisationDecider, stream, { type: 'RecordReorganisationProgress', stepsDone: status.stepsDone }, processContext(decision), { kept });
          kept = await this.aggregates.catchUp(reorganisationDecider, stream, kept);
        }
      }
      const seconds = (Date.now() - job.startedAt) / 1000;
      status.rate = seconds > 0 ? Math.round(((status.stepsDone - job.startedFrom) / seconds) * 10) / 10 : 0;
      status.etaSeconds = status.rate > 0 ? Math.ceil((status.stepsTotal - status.stepsDone) / status.rate) : null;
    }
    const now = new Date().toISOString();
    await this.aggregates.handle(reorganisationDecider, stream, { type: 'CompleteReorganisation', now }, processContext(decision), { kept });
    Object.assign(status, { state: 'done', finishedAt: now, etaSeconds: 0 });
    this.logger.log(`Reorganisation ${decision.reorganisationId} (${decision.documentRef}) done: ${status.stepsTotal} steps`);
  }

  /**
   * Steps `from` to `to` (exclusive) as the ordinary unit commands, each decided on the streams as
   * the earlier ones leave them, then written in one transaction with the progress they make: the
   * same events, guard claims and key records as one by one. A race lost on any stream (its
   * expectation no longer holds) writes nothing, and the batch is decided again on a fresh view.
   */
  private async carryOutBatch(
    decision: Decision,
    from: number,
    to: number,
    batch: { store: TransactionalEventStore; tree: { tree: UnitTree; position: bigint } },
    kept: Pick<Loaded<ReorganisationState>, 'state' | 'expected'>,
  ): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const staged = new StagedEventStore(batch.store);
      const aggregates = new Aggregates(staged);
      // The units this batch changed, as it leaves them: the tree of the log does not have them yet.
      const placed = new Map<string, UnitState>();
      const activeChildren = {
        of: async (unitId: string, max = 20): Promise<string[]> => {
          batch.tree.position = await this.currentTree.update(batch.tree.tree, batch.tree.position);
          const { tree } = batch.tree;
          const candidates = new Set([...tree.activeChildIds(unitId, Number.MAX_SAFE_INTEGER), ...placed.keys()]);
          const under = [...candidates].filter((id) => {
            const unit = placed.get(id) ?? tree.get(id);
            return unit.status === 'active' && unit.parentId === unitId;
          });
          return under.sort().slice(0, max);
        },
      };
      const handler = new UnitCommandHandler(aggregates, new Lookups(aggregates), activeChildren);
      try {
        for (let i = from; i < to; i++) {
          const step = decision.steps[i];
          await handler.execute(new UnitCommandMessage(step.unitId, unitRequestOf(step, decision), stepContext(decision, i)));
          placed.set(step.unitId, (await aggregates.load(unitDecider, streams.unit(step.unitId))).state);
          if ((i - from) % STEPS_PER_TURN === STEPS_PER_TURN - 1) await nextTurn();
        }
        if (to < decision.steps.length) {
          await new ReorganisationAggregates(staged).handle(reorganisationDecider, streams.reorganisation(decision.reorganisationId), { type: 'RecordReorganisationProgress', stepsDone: to }, processContext(decision), { kept });
        }
        await staged.commit().catch((error: unknown) => {
          throw error instanceof WrongExpectedRevisionError ? new ConcurrentModificationError(error.streamId) : error;
        });
        return;
      } catch (error) {
        if (attempt >= ATTEMPTS || !passes(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      }
    }
  }

  private async carryOutStep(decision: Decision, index: number): Promise<void> {
    const step = decision.steps[index];
    const request = unitRequestOf(step, decision);
    for (let attempt = 1; ; attempt++) {
      try {
        await this.commands.execute(new UnitCommandMessage(step.unitId, request, stepContext(decision, index)));
        return;
      } catch (error) {
        if (attempt >= ATTEMPTS || !passes(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      }
    }
  }
}

/** Errors of the moment, not of the step: a race on the tree, a read side behind, a store briefly unavailable, a key record to complete. */
function passes(error: unknown): boolean {
  return (
    error instanceof ConcurrentModificationError ||
    error instanceof EventStoreUnavailableError ||
    error instanceof IdempotencyKeyNotRecordedError ||
    (error instanceof ProblemException && error.problem.status === 503)
  );
}

function initialStatus(decision: Decision, stepsDone: number): ReorganisationStatus {
  return {
    id: decision.reorganisationId,
    documentRef: decision.documentRef,
    effectiveOn: decision.effectiveOn,
    state: 'running',
    stepsTotal: decision.steps.length,
    stepsDone,
    decidedBy: decision.decidedBy,
    decidedAt: decision.decidedAt,
    finishedAt: null,
    rate: 0,
    etaSeconds: null,
    error: null,
  };
}

/** The process acts for whoever decided: the step's events name them, and the decision as their cause. */
function processContext(decision: Decision): CommandContext {
  const commandId = randomUUID();
  return { actor: decision.decidedBy, now: new Date().toISOString(), commandId, correlationId: decision.reorganisationId, causationId: decision.reorganisationId };
}

/** The key is the decision and the step: the same step, resumed after a crash, is the same command. */
function stepContext(decision: Decision, index: number): CommandContext {
  const step = decision.steps[index];
  return {
    ...processContext(decision),
    idempotencyKey: `reorganisation:${decision.reorganisationId}:step-${index + 1}`,
    requestHash: createHash('sha256').update(JSON.stringify({ step, documentRef: decision.documentRef, effectiveOn: decision.effectiveOn })).digest('hex'),
  };
}
