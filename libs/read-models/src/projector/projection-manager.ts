import { ProgramRules } from '@app/domain';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { EventStore } from '@app/event-store';
import { programRules } from '../audit/rules-history';
import { PROGRESS_PROJECTION, PROGRESS_PROJECTION_VERSION } from '../projection/projection-version';
import { LivePointer, ReadModelGenerations } from '../store/generations.port';
import { ReadModelStore } from '../store/read-model-store.port';
import { RebuildQueue } from '../store/rebuild-queue.port';
import { SwitchingReadModelStore } from '../store/switching-read-model-store';
import { ProjectionChanges } from '../projection/read-model-projections';
import { programmeProjector } from './programme-projector';
import { FlushReport, Projector } from './projector';
import { ProjectorLease } from './projector-lease.port';

export interface RebuildStatus {
  generation: number;
  version: number;
  /** 'requested': asked of the projector process, which has not started it yet. */
  state: 'requested' | 'running' | 'switching' | 'done' | 'failed';
  startedAt: string;
  finishedAt: string | null;
  eventsDone: number;
  /** Estimated from the share of the log positions covered so far. */
  eventsTotal: number;
  positionDone: string;
  positionTotal: string;
  /** Events per second since the rebuild started. */
  rate: number;
  etaSeconds: number | null;
  error: string | null;
  /** What the check before the switch found wrong in the log (see ProjectionManagerOptions.beforeSwitch), null when nothing. */
  finding: string | null;
}

/** What the check before a switch says: what it found wrong (null: nothing), and whether that keeps the old generation live. */
export interface SwitchCheck {
  finding: string | null;
  refuse: boolean;
}

export interface ProjectionStatus {
  name: string;
  version: number;
  generation: number;
  state: 'starting' | 'live' | 'rebuilding' | 'failed';
  position: string;
  head: string;
  /** How far the live read models are behind the head of the log (in positions). */
  lag: string;
  /** How old the last event projected is while the read models are behind, 0 when caught up. */
  lagSeconds: number;
  rebuild: RebuildStatus | null;
}

export interface ProjectionManagerOptions {
  /** Whether this process projects (the embedded service, apps/projector) or only reads (an API beside apps/projector). */
  writer: boolean;
  /** The writer role: one process at a time projects, every generation. */
  lease: ProjectorLease;
  leaseTtlMs?: number;
  /** How often a reader looks for a switch made by the writer (and the writer for requests). */
  pointerRefreshMs?: number;
  /** How long an old generation outlives the switch, for readers in other processes to follow it. */
  dropGraceMs?: number;
  batchSize?: number;
  stateEveryEvents?: number;
  onError?: (error: Error) => void;
  /** Every batch any of this manager's projectors writes (metrics). */
  onFlush?: (batch: FlushReport) => void;
  onWarning?: (message: string) => void;
  /**
   * Asked once a rebuild has caught up, before it becomes live (the service checks the log's hash
   * chains there): a finding is kept in the rebuild's status; a refusal fails the rebuild and leaves
   * the old generation live.
   */
  beforeSwitch?: () => Promise<SwitchCheck>;
  /** A reader's writer that runs under this process's supervision (the service's projector thread): stopped with this manager. */
  supervised?: { stop(): Promise<void> };
}

const DEFAULT_LEASE_TTL_MS = 10_000;
/** A reader says again which generation it reads this often, and is forgotten when not heard from for READER_STALE_MS. */
const READER_HEARTBEAT_MS = 5_000;
const READER_STALE_MS = 60_000;

function newRebuildStatus(generation: number, state: RebuildStatus['state'], head: bigint): RebuildStatus {
  return {
    generation,
    version: PROGRESS_PROJECTION_VERSION,
    state,
    startedAt: new Date().toISOString(),
    finishedAt: null,
    eventsDone: 0,
    eventsTotal: 0,
    positionDone: '0',
    positionTotal: head.toString(),
    rate: 0,
    etaSeconds: null,
    error: null,
    finding: null,
  };
}

async function waitForLease(lease: ProjectorLease, owner: string, ttlMs: number): Promise<void> {
  while (!(await lease.tryAcquire(owner, ttlMs))) await new Promise((resolve) => setTimeout(resolve, ttlMs / 4));
}

export class RebuildInProgressError extends Error {
  constructor() {
    super('A rebuild of the read models is already running');
    this.name = 'RebuildInProgressError';
  }
}

/**
 * Owns the generations of the read models: the live one that queries read (through `store`) and its
 * projector, and at most one rebuild beside it. A rebuild projects the whole log from position 0,
 * under today's rules, into a new generation while the live one keeps answering; once it has caught
 * up with the head it becomes live in one step, its projector carries on, and the old generation is
 * dropped. A newer projection version than the live generation's starts such a rebuild by itself.
 */
export class ProjectionManager {
  readonly store: SwitchingReadModelStore;
  private pointer!: LivePointer;
  private liveProjector?: Projector<ProjectionChanges>;
  private rebuilding?: { projector: Projector<ProjectionChanges>; status: RebuildStatus };
  private lastRebuild: RebuildStatus | null = null;
  private failed = false;
  private refreshTimer?: NodeJS.Timeout;
  private requestTimer?: NodeJS.Timeout;
  private stopped = false;
  private following = false;
  /** What this reader last recorded of itself (see ReadModelGenerations.reading). */
  private reported?: { generation: number; at: number };

  private constructor(
    private readonly events: EventStore,
    private readonly generations: ReadModelGenerations,
    private readonly rebuilds: RebuildQueue,
    private readonly options: ProjectionManagerOptions,
    initial: ReadModelStore,
    private readonly owner: string,
  ) {
    this.store = new SwitchingReadModelStore(initial);
  }

  /**
   * Opens the live generation (making generation 1 live on a first start) and, as a writer, starts
   * projecting. The adapters keep the rebuild queue beside the live pointer, so one object is both.
   */
  static async start(events: EventStore, generations: ReadModelGenerations & RebuildQueue, options: ProjectionManagerOptions): Promise<ProjectionManager> {
    const owner = `projection-manager-${randomUUID()}`;
    // The pointer is read only once the writer role is ours: a standby that waited may find another generation live.
    if (options.writer) await waitForLease(options.lease, owner, options.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS);
    let pointer = await generations.live();
    // A reader started before any projector ever ran (docker compose starts both at once) waits for the first generation.
    while (!pointer && !options.writer) {
      await new Promise((resolve) => setTimeout(resolve, options.pointerRefreshMs ?? 1000));
      pointer = await generations.live();
    }
    if (!pointer) {
      pointer = { generation: 1, version: PROGRESS_PROJECTION_VERSION };
      await generations.makeLive(pointer);
    }
    const manager = new ProjectionManager(events, generations, generations, options, await generations.open(pointer.generation), owner);
    manager.pointer = pointer;
    if (!options.writer) {
      // Said before the first query, then the pointer read again: a switch made meanwhile is followed at once.
      await manager.followSwitch();
      manager.refreshTimer = setInterval(() => void manager.followSwitch(), manager.refreshMs);
      return manager;
    }
    // Holding the writer role, any generation other than the live one is a leftover of a rebuild that died.
    await manager.dropLeftovers();
    manager.liveProjector = manager.projectorFor(manager.store.current);
    await manager.liveProjector.start();
    if (pointer.version < PROGRESS_PROJECTION_VERSION) void manager.rebuild().catch(() => undefined);
    // Requests from readers (an API beside this projector) and this rebuild's progress travel through the rebuild queue.
    manager.requestTimer = setInterval(() => void manager.serveRequests(), manager.refreshMs);
    return manager;
  }

  /** Starts a rebuild; resolves when it has started (not when it is done: see status()). */
  async rebuild(): Promise<RebuildStatus> {
    if (!this.options.writer) return this.requestRebuild();
    if (this.rebuilding) throw new RebuildInProgressError();
    const generation = Math.max(this.pointer.generation, ...(await this.generations.list())) + 1;
    const store = await this.generations.open(generation);
    const rules = await this.currentRules();
    const projector = this.projectorFor(store, rules);
    const status = newRebuildStatus(generation, 'running', await this.events.headPosition());
    void projector
      .start()
      .then(() => this.checkBeforeSwitch(status))
      .then(() => this.switchTo(generation, store, projector, status))
      .catch(async (error: unknown) => {
        status.state = 'failed';
        status.error = error instanceof Error ? error.message : String(error);
        status.finishedAt = new Date().toISOString();
        await projector.stop({ keepLease: true }).catch(() => undefined);
        await this.generations.drop(generation).catch(() => undefined);
        this.options.onError?.(error instanceof Error ? error : new Error(String(error)));
      })
      .finally(() => {
        this.lastRebuild = status;
        this.rebuilding = undefined;
      });
    this.rebuilding = { projector, status };
    return { ...status };
  }

  async status(): Promise<ProjectionStatus> {
    const [position, head] = await Promise.all([this.store.checkpoint(), this.events.headPosition()]);
    const rebuild = !this.options.writer
      ? ((await this.rebuilds.publishedRebuild()) as RebuildStatus | null)
      : this.rebuilding
        ? this.progressOf(this.rebuilding.projector, this.rebuilding.status, head)
        : this.lastRebuild;
    const running = rebuild !== null && ['requested', 'running', 'switching'].includes(rebuild.state);
    const state = this.failed ? 'failed' : running ? 'rebuilding' : 'live';
    return {
      name: PROGRESS_PROJECTION,
      version: this.pointer.version,
      generation: this.pointer.generation,
      state,
      position: position.toString(),
      head: head.toString(),
      lag: (head > position ? head - position : 0n).toString(),
      lagSeconds: head > position ? await this.secondsSinceLastProjected(position) : 0,
      rebuild: rebuild ? { ...rebuild } : null,
    };
  }

  /** A reader has no projector of its own to ask: the last event projected is the one at the checkpoint. */
  private async secondsSinceLastProjected(position: bigint): Promise<number> {
    const recordedAt = this.liveProjector
      ? this.liveProjector.appliedRecordedAt
      : position > 0n
        ? (await this.events.readAll({ after: position - 1n, maxCount: 1 }))[0]?.metadata.recordedAt
        : undefined;
    return recordedAt ? Math.max(0, Math.round((Date.now() - Date.parse(recordedAt)) / 1000)) : 0;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.refreshTimer);
    clearInterval(this.requestTimer);
    if (this.reported) await this.generations.left(this.owner).catch(() => undefined);
    await this.rebuilding?.projector.stop();
    await this.liveProjector?.stop();
    await this.options.supervised?.stop();
  }

  /** Every projector of this manager holds the one writer lease, under the manager's name. */
  private projectorFor(store: ReadModelStore, rules?: ReadonlyMap<string, ProgramRules>): Projector<ProjectionChanges> {
    return programmeProjector(this.events, store, this.options.lease, {
      owner: this.owner,
      leaseTtlMs: this.options.leaseTtlMs,
      fixedRules: rules,
      batchSize: this.options.batchSize,
      onFlush: this.options.onFlush,
      stateEveryEvents: this.options.stateEveryEvents,
      onWarning: this.options.onWarning,
      onError: (error) => {
        if (this.liveProjector && store === this.store.current) this.failed = true;
        this.options.onError?.(error);
      },
    });
  }

  /** The rules now in force for every programme the live read models know. */
  private async currentRules(): Promise<Map<string, ProgramRules>> {
    const rules = new Map<string, ProgramRules>();
    for await (const program of this.store.current.documents('programs')) {
      const current = await programRules(this.events, program.programId);
      if (current) rules.set(program.programId, current);
    }
    return rules;
  }

  /** Throws, failing the rebuild, when the check refuses the switch. */
  private async checkBeforeSwitch(status: RebuildStatus): Promise<void> {
    if (!this.options.beforeSwitch) return;
    const { finding, refuse } = await this.options.beforeSwitch();
    status.finding = finding;
    if (finding && refuse) throw new Error(`Not switched to the rebuilt generation: ${finding}`);
  }

  private async switchTo(generation: number, store: ReadModelStore, projector: Projector<ProjectionChanges>, status: RebuildStatus): Promise<void> {
    status.state = 'switching';
    const old = { generation: this.pointer.generation, projector: this.liveProjector };
    this.pointer = { generation, version: PROGRESS_PROJECTION_VERSION };
    await this.generations.makeLive(this.pointer);
    this.store.current = store;
    this.liveProjector = projector;
    this.failed = false;
    Object.assign(status, this.progressOf(projector, status, await this.events.headPosition()), { state: 'done', finishedAt: new Date().toISOString(), etaSeconds: 0 });
    await old.projector?.stop({ keepLease: true });
    void this.dropWhenUnread(old.generation);
  }

  private get refreshMs(): number {
    return this.options.pointerRefreshMs ?? 1000;
  }

  private get dropGraceMs(): number {
    return this.options.dropGraceMs ?? 10_000;
  }

  /**
   * Readers in other processes follow a switch at their next refresh, or later when slow: the old
   * generation goes once no reader has said it reads it for `dropGraceMs` (queries begun before a reader
   * followed finish on it). A manager stopped first leaves it to the next writer's start.
   */
  private async dropWhenUnread(generation: number): Promise<void> {
    const graceMs = this.dropGraceMs;
    let unreadSince: number | undefined;
    while (!this.stopped) {
      const read = await this.generations.generationsRead(READER_STALE_MS).catch(() => [generation]);
      if (read.includes(generation)) unreadSince = undefined;
      else if ((unreadSince ??= Date.now()) + graceMs <= Date.now()) {
        await this.generations.drop(generation).catch(() => undefined);
        return;
      }
      await sleep(Math.min(this.refreshMs, graceMs || this.refreshMs), undefined, { ref: false });
    }
  }

  private progressOf(projector: Projector<ProjectionChanges>, status: RebuildStatus, head: bigint): RebuildStatus {
    const done = projector.appliedPosition;
    const seconds = Math.max((Date.now() - Date.parse(status.startedAt)) / 1000, 0.001);
    const events = projector.eventsApplied;
    const share = head > 0n ? Number((done * 10_000n) / head) / 10_000 : 1;
    const eventsTotal = share > 0 ? Math.max(events, Math.round(events / share)) : events;
    const rate = events / seconds;
    return {
      ...status,
      eventsDone: events,
      eventsTotal,
      positionDone: done.toString(),
      positionTotal: head.toString(),
      rate: Math.round(rate),
      etaSeconds: rate > 0 ? Math.round((eventsTotal - events) / rate) : null,
    };
  }

  /** A reader cannot rebuild: it asks the writer, and answers with the request as it stands. */
  private async requestRebuild(): Promise<RebuildStatus> {
    const published = (await this.rebuilds.publishedRebuild()) as RebuildStatus | null;
    if (published && ['requested', 'running', 'switching'].includes(published.state)) throw new RebuildInProgressError();
    const requested = newRebuildStatus(this.pointer.generation + 1, 'requested', await this.events.headPosition());
    await this.rebuilds.publishRebuild(requested);
    await this.rebuilds.requestRebuild();
    return requested;
  }

  /** The writer's side: starts requested rebuilds, and publishes the progress of its own. */
  private async serveRequests(): Promise<void> {
    try {
      if ((await this.rebuilds.takeRebuildRequest()) && !this.rebuilding) await this.rebuild();
      const head = await this.events.headPosition();
      const rebuild = this.rebuilding ? this.progressOf(this.rebuilding.projector, this.rebuilding.status, head) : this.lastRebuild;
      if (rebuild) await this.rebuilds.publishRebuild(rebuild);
    } catch (error) {
      this.options.onError?.(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /**
   * A reader whose writer runs under this process's supervision (the service's projector thread)
   * learns of its failure, and shows it in status() until the writer switches to a new generation.
   */
  writerFailed(): void {
    this.failed = true;
  }

  /**
   * A reader follows the writer's switches (the pointer names the generation to read), and says
   * which generation it reads: before it reads a new one, and at every heartbeat.
   */
  private async followSwitch(): Promise<void> {
    if (this.following || this.stopped) return;
    this.following = true;
    try {
      // Unrecorded (the store unreachable), a heartbeat is tried again at the next refresh, as the pointer is: an outage logs nothing per tick.
      await this.report(this.pointer.generation).catch(() => undefined);
      const pointer = await this.generations.live().catch(() => null);
      if (!pointer || pointer.generation === this.pointer.generation) return;
      const store = await this.generations.open(pointer.generation);
      await this.report(pointer.generation).catch(() => undefined);
      this.store.current = store;
      this.pointer = pointer;
      this.failed = false;
    } catch (error) {
      this.options.onError?.(error instanceof Error ? error : new Error(String(error)));
    } finally {
      this.following = false;
    }
  }

  private async report(generation: number): Promise<void> {
    const due = !this.reported || this.reported.generation !== generation || Date.now() - this.reported.at >= READER_HEARTBEAT_MS;
    if (due && (await this.generations.reading(this.owner, generation))) this.reported = { generation, at: Date.now() };
  }

  /**
   * Generations other than the live one were left by a rebuild that died, or by a writer stopped
   * before it dropped the generation it switched from: dropped now, or once no reader reads them.
   */
  private async dropLeftovers(): Promise<void> {
    const read = await this.generations.generationsRead(READER_STALE_MS);
    for (const generation of await this.generations.list()) {
      if (generation === this.pointer.generation) continue;
      if (read.includes(generation)) void this.dropWhenUnread(generation);
      else await this.generations.drop(generation);
    }
  }
}
