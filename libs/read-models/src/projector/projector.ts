import { randomUUID } from 'node:crypto';
import { EventStore, StoredEvent, Subscription } from '@app/event-store';
import { ReadModelWriter } from '../store/read-model-writer.port';
import { Projection, ProjectionSource } from './projection.port';
import { ProjectorLease } from './projector-lease.port';

export interface ProjectorOptions {
  /**
   * Events applied between two writes while catching up. Each write renders every document the
   * batch touched (a province's rows at every write), so larger batches make rebuilds much cheaper;
   * what a crash costs is replaying one batch.
   */
  batchSize?: number;
  /**
   * How long a live event waits at least for companions before its batch is written (default 10 ms).
   * Under load it waits longer: as long as the last write took, times LOAD_WAIT_FACTOR, up to
   * MAX_LIVE_DELAY_MS (see scheduleFlush).
   */
  flushDelayMs?: number;
  leaseTtlMs?: number;
  owner?: string;
  /**
   * Events applied between two saves of the projection's state (default 50,000; ten times as many
   * in a bulk load, where a save costs seconds of a rebuild and a crash only costs replaying the
   * gap), besides once caught up and at a clean stop. A start replays at most this many events after
   * the saved state.
   */
  stateEveryEvents?: number;
  onError?: (error: Error) => void;
  /** Told of every batch written (for metrics): how many events it carried and how long the write took. */
  onFlush?: (batch: FlushReport) => void;
  /** Something an operator should know that is no failure (e.g. a saved state refused: a full replay follows). */
  onWarning?: (message: string) => void;
}

export interface FlushReport {
  events: number;
  durationMs: number;
  position: bigint;
}

export type ProjectorState = 'idle' | 'waiting-for-lease' | 'restoring' | 'catching-up' | 'live' | 'stopped' | 'failed';

/**
 * Follows the event log from the store's checkpoint and keeps a projection's read models current,
 * whatever the projection (see ProjectionSource; the programme's is in programme-projector.ts).
 *
 * On start it restores the projection's saved state and replays the log from there up to the
 * checkpoint without writing (everything up to there is already written), then subscribes after the
 * checkpoint and writes whole documents per batch, checkpoint last. A crash anywhere therefore loses
 * nothing and counts nothing twice: the restart recomputes the same documents from the same events.
 */
export class Projector<Changes> {
  state: ProjectorState = 'idle';
  private projection!: Projection<Changes>;
  private subscription?: Subscription;
  private pending = 0;
  /** How long the last live batch took to render and write. */
  private lastFlushMs = 0;
  private flushTimer?: NodeJS.Timeout;
  private leaseTimer?: NodeJS.Timeout;
  private chain: Promise<void> = Promise.resolve();
  private live = false;
  /** Events applied since start (the restore replay excluded). */
  eventsApplied = 0;
  private stopping = false;
  private written = 0n;
  private lastRecordedAt?: string;
  private appliedSinceSave = 0;
  /** Filling a store from the start of the log (see ReadModelWriter.beginBulkLoad): figures are written once, at the end. */
  private bulk = false;
  private readonly owner: string;
  private readonly batchSize: number;
  private readonly flushDelayMs: number;
  private readonly leaseTtlMs: number;
  private readonly stateEveryEvents: number;
  /** When the projector last let the event loop run (see yieldWhenSliceSpent). */
  private lastYieldAt = 0;

  constructor(
    private readonly events: EventStore,
    private readonly store: ReadModelWriter<Changes>,
    private readonly lease: ProjectorLease,
    private readonly source: ProjectionSource<Changes>,
    private readonly options: ProjectorOptions = {},
  ) {
    this.owner = options.owner ?? `projector-${randomUUID()}`;
    this.batchSize = options.batchSize ?? 5000;
    this.flushDelayMs = options.flushDelayMs ?? 10;
    this.leaseTtlMs = options.leaseTtlMs ?? 10_000;
    this.stateEveryEvents = options.stateEveryEvents ?? 50_000;
  }

  /** Waits for the lease, restores, and starts following the log. Resolves once caught up. */
  async start(): Promise<void> {
    this.state = 'waiting-for-lease';
    while (!(await this.lease.tryAcquire(this.owner, this.leaseTtlMs))) {
      if (this.stopping) return;
      await sleep(this.leaseTtlMs / 4);
    }
    if (this.stopping) return;
    this.leaseTimer = setInterval(() => void this.renewLease(), this.leaseTtlMs / 3);
    this.state = 'restoring';
    // A bulk load in progress carries on from its own mark; a store never written begins one.
    const loadedTo = await this.store.bulkLoading();
    const checkpoint = loadedTo ?? (await this.store.checkpoint());
    this.bulk = loadedTo !== null || checkpoint === 0n;
    if (loadedTo === null && this.bulk) await this.store.beginBulkLoad();
    this.written = checkpoint;
    this.projection = await this.restore(checkpoint);
    await this.replayUpTo(checkpoint);
    this.projection.discardChanges();
    this.state = 'catching-up';
    await new Promise<void>((resolve, reject) => {
      this.subscription = this.events.subscribeToAll({
        after: checkpoint,
        eventTypes: this.source.eventTypes,
        onEvent: (event) => this.enqueue(() => this.onEvent(event)),
        // Live, a store may report "caught up" after every event: batching stays with the flush timer.
        onCaughtUp: () =>
          this.enqueue(async () => {
            if (this.live) return this.scheduleFlush();
            if (this.bulk) await this.endBulkLoad();
            await this.flush({ saveState: this.appliedSinceSave > 0 });
            this.live = true;
            this.state = 'live';
            resolve();
          }),
        onError: (error) => {
          this.fail(error);
          reject(error);
        },
      });
    });
  }

  /**
   * Stops following the log; `keepLease` when another projector of the same owner carries on. What
   * was applied but not yet written is flushed first, so the checkpoint ends at the last event applied.
   */
  async stop(options: { keepLease?: boolean } = {}): Promise<void> {
    const following = this.state === 'live' || this.state === 'catching-up';
    this.state = 'stopped';
    clearInterval(this.leaseTimer);
    clearTimeout(this.flushTimer);
    await this.subscription?.stop();
    if (following) await this.enqueue(() => this.flush()).catch(() => undefined);
    this.stopping = true;
    await this.chain.catch(() => undefined);
    if (following) await this.saveStateOnStop();
    if (!options.keepLease) await this.lease.release(this.owner);
  }

  /** Position of the last batch written, with its checkpoint. */
  get writtenPosition(): bigint {
    return this.written;
  }

  /** When the last event applied was recorded (for the lag in seconds). */
  get appliedRecordedAt(): string | undefined {
    return this.lastRecordedAt;
  }

  /** Position of the last event applied in memory (written or about to be). */
  get appliedPosition(): bigint {
    return this.projection?.position ?? 0n;
  }

  /**
   * The saved state when it can be trusted (same version, intact, not beyond the checkpoint), else a
   * fresh projection, said out loud: the log is then replayed from its start, never figures guessed.
   */
  private async restore(checkpoint: bigint): Promise<Projection<Changes>> {
    const fresh = () => this.source.fresh();
    if (checkpoint === 0n) return fresh();
    const saved = await this.store.savedState();
    if (!saved) {
      this.options.onWarning?.(`No saved projection state: replaying the log up to the checkpoint ${checkpoint}`);
      return fresh();
    }
    try {
      return this.source.restore(saved, checkpoint);
    } catch (error) {
      this.options.onWarning?.(`Saved projection state refused (${(error as Error).message}): replaying the log up to the checkpoint ${checkpoint}`);
      return fresh();
    }
  }

  private async replayUpTo(checkpoint: bigint): Promise<void> {
    let after = this.projection.position;
    while (after < checkpoint) {
      const batch = await this.events.readAll({ after, maxCount: this.batchSize, eventTypes: this.source.eventTypes });
      if (batch.length === 0) break;
      for (const event of batch) {
        if (event.position > checkpoint) return;
        await this.apply(event);
        this.appliedSinceSave += 1;
        after = event.position;
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private async apply(event: StoredEvent): Promise<void> {
    await this.projection.apply(event);
    this.lastRecordedAt = event.metadata.recordedAt;
  }

  private async onEvent(event: StoredEvent): Promise<void> {
    await this.apply(event);
    this.eventsApplied += 1;
    this.appliedSinceSave += 1;
    this.pending += 1;
    if (this.pending >= this.batchSize) await this.flush();
    else if (this.live) this.scheduleFlush();
    await this.yieldWhenSliceSpent();
  }

  /**
   * A synchronous store hands over a page of events at once, and every await on it resolves at
   * once: without a turn of the event loop every few milliseconds, a page of moves or a rebuild's
   * batch holds every request the process serves for as long as it takes to apply.
   */
  private async yieldWhenSliceSpent(): Promise<void> {
    if (performance.now() - this.lastYieldAt < SLICE_MS) return;
    await new Promise((resolve) => setImmediate(resolve));
    this.lastYieldAt = performance.now();
  }

  private scheduleFlush(): void {
    if (this.flushTimer) return;
    // A write costs a fixed part (the rows of every ancestor, the checkpoint, the commit) and a part per event: waiting in
    // proportion to the last write's time keeps writing under a share of the thread under load, with larger batches
    // paying the fixed part once, and keeps the wait at the minimum when writes are quick.
    const delay = Math.min(Math.max(this.flushDelayMs, this.lastFlushMs * LOAD_WAIT_FACTOR), Math.max(this.flushDelayMs, MAX_LIVE_DELAY_MS));
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      void this.enqueue(() => this.flush());
    }, delay);
  }

  private async flush(options: { saveState?: boolean } = {}): Promise<void> {
    if (this.stopping || this.state === 'failed') return;
    const position = this.projection.position;
    if (!this.projection.hasChanges() && position <= this.written && !options.saveState) return;
    const begun = performance.now();
    const changes = await this.projection.flush(this.bulk);
    const events = this.pending;
    this.pending = 0;
    const saveState = options.saveState || this.appliedSinceSave >= this.stateEveryEvents * (this.bulk ? BULK_STATE_FACTOR : 1);
    const started = performance.now();
    await this.store.write(changes, position, saveState ? this.projection.saveState() : undefined);
    if (saveState) this.appliedSinceSave = 0;
    this.written = position;
    this.lastFlushMs = performance.now() - begun;
    this.options.onFlush?.({ events, durationMs: performance.now() - started, position });
  }

  /**
   * What the projection left for the end (every progress row and unit, for the programme's), each
   * rendered once from the state in memory and written in chunks, then the store's indexes. A crash meanwhile leaves the store marked as loading: the next start
   * replays from the saved state and comes here again.
   */
  private async endBulkLoad(): Promise<void> {
    await this.flush();
    for (const chunk of this.projection.deferred(DOCUMENTS_PER_WRITE)) {
      await this.store.write(chunk, this.written);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await this.store.endBulkLoad();
    this.bulk = false;
    this.appliedSinceSave = Math.max(this.appliedSinceSave, 1);
  }

  /** A clean stop leaves the state of everything written, so that the next start replays nothing. */
  private async saveStateOnStop(): Promise<void> {
    if (this.appliedSinceSave === 0 || this.projection.hasChanges() || this.projection.position !== this.written) return;
    try {
      await this.store.write(this.source.nothing, this.written, this.projection.saveState());
      this.appliedSinceSave = 0;
    } catch (error) {
      this.options.onWarning?.(`The projection state could not be saved at stop (${(error as Error).message}): the next start replays more of the log`);
    }
  }

  /** Serialises event handling and writes: the subscription, timers and caught-up signals share one queue. */
  private enqueue(work: () => Promise<void>): Promise<void> {
    const next = this.chain.then(work);
    this.chain = next.catch((error: unknown) => this.fail(error instanceof Error ? error : new Error(String(error))));
    return next;
  }

  private async renewLease(): Promise<void> {
    const held = await this.lease.tryAcquire(this.owner, this.leaseTtlMs).catch(() => false);
    if (!held && !this.stopping) this.fail(new Error('Lost the projector lease; another projector has taken over'));
  }

  private fail(error: Error): void {
    if (this.stopping || this.state === 'failed') return;
    this.state = 'failed';
    clearInterval(this.leaseTimer);
    clearTimeout(this.flushTimer);
    void this.subscription?.stop();
    this.options.onError?.(error);
  }
}

const BULK_STATE_FACTOR = 10;
/** The longest the projector applies events without letting requests through. */
const SLICE_MS = 5;
/** Under load, a live batch waits this many times as long as the last write took (writing then takes at most a fifth of the thread)… */
const LOAD_WAIT_FACTOR = 4;
/** …but never longer than this, so that a read waiting for its own command's position waits at most about as long. */
const MAX_LIVE_DELAY_MS = 200;

/** Documents per write at the end of a bulk load: one chunk in memory at a time. */
const DOCUMENTS_PER_WRITE = 20_000;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
