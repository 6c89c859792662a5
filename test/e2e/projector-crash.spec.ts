import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Db, MongoClient } from 'mongodb';
import { EventStore, SqliteEventStore } from '@app/event-store';
import {
  InProcessLease,
  InitiativeDoc,
  MemoryReadModelStore,
  MongoLease,
  MongoReadModelStore,
  ProgramDoc,
  ProgressRow,
  PROGRESS_SORTS,
  programmeProjector,
  ProjectorLease,
  ReadModelStore,
  readModelCollectionNames,
  StoredDocumentKind,
  UnitDoc,
} from '@app/read-models';
import { ProgrammeLog } from '../../libs/read-models/test/programme-log';
import { describeWithMongo } from '../support/mongo-target';

/**
 * The projector survives crashes anywhere: in the middle of a bulk write, between two chunks of
 * one, between the documents and the checkpoint, and just after the checkpoint (its answer lost).
 * Each crashed projector is abandoned; a fresh projector on a fresh store (same database) resumes
 * from the checkpoint. Meanwhile more events arrive, so that live batches crash too. At the end
 * every document must equal what a projector that never crashed computes in memory.
 *
 * Crash points are drawn from a seeded RNG; the seed is printed, and CRASH_SEED=<seed> replays a run.
 */

const PROGRAM = 'bk-2022';
const SEED = process.env.CRASH_SEED ? Number(process.env.CRASH_SEED) : Math.floor(Math.random() * 2 ** 31);
const MIN_CRASHES = 30;
/** Beyond this many crashes the runs go on without crashing (keeps the suite's time in bounds). */
const MAX_CRASHES = 45;
const BATCH_SIZE = 7;

/** mulberry32: small, fast, good enough to pick crash points reproducibly. */
function rngOf(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number, width = 3) => String(n).padStart(width, '0');

/**
 * A province's programme: a tree of 1 province, 3 districts, 1 sector and 16 grassroots unions;
 * quotas; a few hundred initiatives approved, rejected, withdrawn, revoked, corrected and moved;
 * member counts changing; a grassroots union moved to another district, another merged.
 */
function buildHistory(random: () => number, count: number): { log: ProgrammeLog; units: string[]; initiatives: string[] } {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const log = new ProgrammeLog(PROGRAM).launchBacKan();
  const parents: Record<string, string> = {};
  const units: string[] = ['prov'];
  log.unit('prov', 'province', null, 200);
  for (const district of ['d1', 'd2', 'd3']) {
    log.unit(district, 'district', 'prov', 50);
    units.push(district);
    parents[district] = 'prov';
  }
  log.unit('gd', 'sector', 'prov', 80);
  units.push('gd');
  const grassroots: string[] = [];
  for (let i = 1; i <= 16; i++) {
    const id = `g${pad(i, 2)}`;
    const parent = ['d1', 'd2', 'd3', 'gd'][i % 4];
    log.unit(id, 'grassroots', parent, 20 + Math.floor(random() * 200));
    units.push(id);
    grassroots.push(id);
    parents[id] = parent;
  }
  log.quota('prov', 'p1', 40).quota('prov', null, 150).quota('d1', 'p1', 8).quota('d2', 'p2', 6).quota('gd', null, 20).quota('g01', 'p1', 2);

  const initiatives: string[] = [];
  const pending: (() => void)[] = [];
  const stateOf = new Map<string, { unit: string; status: string }>();
  const active = new Set(grassroots);
  const day = (from: string, span: number) => {
    const date = new Date(Date.parse(`${from}T00:00:00Z`) + Math.floor(random() * span) * 86_400_000 + Math.floor(random() * 86_400) * 1000);
    return date.toISOString().replace('.000Z', 'Z');
  };
  for (let i = 1; i <= count; i++) {
    const id = `i${pad(i)}`;
    const unit = random() < 0.1 ? pick(['d1', 'd2', 'gd']) : pick([...active]);
    const submittedAt = day('2021-12-15', 640);
    const later = (days: number) => new Date(Date.parse(submittedAt) + days * 86_400_000).toISOString().replace('.000Z', 'Z');
    log.submit(id, unit, submittedAt, String(1_000_000 + Math.floor(random() * 90_000_000)), {
      title: `Sáng kiến ${i}: ${pick(['cải tiến quy trình', 'số hóa hồ sơ', 'tiết kiệm điện', 'đổi mới sinh hoạt', 'ứng dụng Zalo'])}`,
      appliedOn: day('2021-10-01', 600).slice(0, 10),
    });
    initiatives.push(id);
    stateOf.set(id, { unit, status: 'submitted' });
    const fate = random();
    const decide = () => {
      const s = stateOf.get(id)!;
      if (fate < 0.55) {
        log.approve(id, s.unit, later(3 + Math.floor(random() * 30)), String(500_000 + Math.floor(random() * 50_000_000)));
        s.status = 'approved';
        if (random() < 0.1) pending.push(() => log.revoke(id, stateOf.get(id)!.unit, later(60)));
      } else if (fate < 0.67) {
        log.reject(id, s.unit, later(5));
      } else if (fate < 0.73) {
        log.withdraw(id, s.unit, later(2));
      } else if (fate < 0.8) {
        log.correct(id, s.unit, { benefitValue: String(Math.floor(random() * 9_000_000)) });
      } else if (fate < 0.86) {
        const to = pick(grassroots.filter((g) => g !== s.unit && active.has(g)));
        log.moveInitiative(id, s.unit, to);
        s.unit = to;
      }
      // else: still pending at the end
    };
    // Decisions come a few submissions later, interleaved with other initiatives' events.
    pending.push(decide);
    while (pending.length > 4 || (pending.length > 0 && random() < 0.3)) pending.splice(Math.floor(random() * pending.length), 1)[0]();

    if (i % 30 === 0) {
      const g = pick([...active]);
      log.members(g, 20 + Math.floor(random() * 250), day('2022-01-01', 500).slice(0, 10));
      log.members(pick(['d1', 'd2', 'd3', 'gd']), 30 + Math.floor(random() * 40), day('2022-01-01', 500).slice(0, 10));
    }
    if (i === Math.floor(count * 0.35)) {
      // A grassroots union moves to another district, with its whole history.
      log.move('g05', parents.g05, 'd3');
      parents.g05 = 'd3';
    }
    if (i === Math.floor(count * 0.55)) {
      // Another is merged into its neighbour: its members stop counting, its initiatives roll up there.
      log.merge('g07', parents.g07, 'g08', '2022-07-01');
      active.delete('g07');
    }
    if (i === Math.floor(count * 0.7)) log.quota('d3', 'p3', 12, null).quota('prov', 'p1', 45, 40);
  }
  while (pending.length) pending.shift()!();
  return { log, units, initiatives };
}

/** Appends entries [from, to) of a log, each at the right revision of its stream. */
async function appendRange(log: ProgrammeLog, store: EventStore, from: number, to: number): Promise<void> {
  const part = new ProgrammeLog(log.programId);
  part.entries.push(...log.entries.slice(from, to));
  await part.appendTo(store);
}

interface Snapshot {
  checkpoint: bigint;
  program: ProgramDoc | null;
  units: (UnitDoc | null)[];
  progress: ProgressRow[][];
  initiatives: (InitiativeDoc | null)[];
  listings: string[][];
  /** Every stored document of every kind, in a fixed order. */
  everything: Record<StoredDocumentKind, unknown[]>;
}

async function everything(store: ReadModelStore): Promise<Record<StoredDocumentKind, unknown[]>> {
  const all = async (kind: StoredDocumentKind, idOf: (doc: Record<string, string>) => string) => {
    const docs: Record<string, string>[] = [];
    for await (const doc of store.documents(kind)) docs.push(doc as unknown as Record<string, string>);
    return docs.sort((a, b) => (idOf(a) < idOf(b) ? -1 : idOf(a) > idOf(b) ? 1 : 0));
  };
  return {
    progress: await all('progress', (r) => `${r.programId}|${r.unitId}|${r.phaseId}`),
    units: await all('units', (u) => u.unitId),
    initiatives: await all('initiatives', (d) => d.initiativeId),
    programs: await all('programs', (p) => p.programId),
  };
}

/** Everything a store holds for the programme, read through the port. */
async function snapshot(store: ReadModelStore, units: string[], initiatives: string[]): Promise<Snapshot> {
  const listings: string[][] = [];
  for (const phaseId of ['p1', 'p2', 'all']) {
    for (const sort of [...PROGRESS_SORTS, 'reachedQuotaOn'] as const) {
      const ids: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.progress({ programId: PROGRAM, phaseId, sort, limit: 9, cursor });
        ids.push(...page.items.map((r) => r.unitId));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      listings.push([`${phaseId} ${sort}`, ...ids]);
    }
  }
  for (const query of [{ programId: PROGRAM }, { unitId: 'd3', subtree: true }, { status: 'approved' as const }, { phaseId: 'p2' }]) {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.initiatives({ ...query, limit: 50, cursor });
      ids.push(...page.items.map((d) => d.initiativeId));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    listings.push([JSON.stringify(query), ...ids]);
  }
  return {
    checkpoint: await store.checkpoint(),
    program: await store.program(PROGRAM),
    units: await Promise.all(units.map((u) => store.unit(u))),
    progress: await Promise.all(units.map((u) => store.unitProgress(PROGRAM, u))),
    initiatives: await Promise.all(initiatives.map((i) => store.initiative(i))),
    listings,
    everything: await everything(store),
  };
}

/** The read models computed by a projector that never crashes, in memory, over the same log. */
async function reference(events: EventStore, units: string[], initiatives: string[]): Promise<Snapshot> {
  const memory = new MemoryReadModelStore();
  const projector = programmeProjector(events, memory, new InProcessLease(), { batchSize: 1000 });
  await projector.start();
  await projector.stop();
  return snapshot(memory, units, initiatives);
}

class Crash extends Error {
  constructor(readonly point: string) {
    super(`injected crash: ${point}`);
    this.name = 'Crash';
  }
}

const CRASH_KINDS = ['mid-bulk', 'bulk-done-unacknowledged', 'before-checkpoint', 'checkpoint-unacknowledged'] as const;
type CrashKind = (typeof CRASH_KINDS)[number];

/**
 * A `Db` whose writes crash once, where the plan says: at the k-th `bulkWrite` of documents (after
 * writing a random strict prefix of its operations, possibly none: "mid-bulk"; or all of them, the
 * answer lost: "bulk-done-unacknowledged"), or at the k-th checkpoint update (before it: "before-
 * checkpoint"; or after it, the answer lost: "checkpoint-unacknowledged"). From then on the
 * "process" is dead: every write or read through it throws.
 */
class CrashingDb {
  dead = false;
  /** Writes before arming never crash: a run armed once its projector is live crashes a live batch. */
  armed = true;
  kind?: CrashKind;
  readonly crashed: Promise<CrashKind>;
  private signal!: (kind: CrashKind) => void;
  private bulkWrites = 0;
  private checkpointWrites = 0;

  constructor(
    private readonly db: Db,
    private readonly plan: { kind: CrashKind; at: number } | null,
    private readonly random: () => number,
    private readonly checkpointCollection: string,
  ) {
    this.crashed = new Promise((resolve) => (this.signal = resolve));
  }

  /** A plan: the kind uniformly, at one of the next few writes of that sort. */
  static plan(random: () => number): { kind: CrashKind; at: number } {
    const kind = CRASH_KINDS[Math.floor(random() * CRASH_KINDS.length)];
    const onCheckpoint = kind === 'before-checkpoint' || kind === 'checkpoint-unacknowledged';
    return { kind, at: 1 + Math.floor(random() * (onCheckpoint ? 6 : 18)) };
  }

  get proxy(): Db {
    return new Proxy(this.db, {
      get: (target, prop) => {
        if (prop === 'collection') return (name: string) => this.collection(target.collection(name));
        const value = Reflect.get(target, prop, target) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }

  private collection<T extends object>(collection: T): T {
    const isCheckpoint = (collection as unknown as { collectionName: string }).collectionName === this.checkpointCollection;
    return new Proxy(collection, {
      get: (target, prop) => {
        const value = Reflect.get(target, prop, target) as unknown;
        if (typeof value !== 'function') return value;
        const method = value.bind(target) as (...args: unknown[]) => Promise<unknown>;
        // Writes (and the checkpoint read) go through the crash logic; cursors and the rest pass.
        if (prop !== 'bulkWrite' && prop !== 'updateOne' && prop !== 'findOne') return method;
        return async (...args: unknown[]) => {
          if (this.dead) throw new Crash('after death');
          if (prop === 'bulkWrite') return this.bulkWrite(method, args);
          if (prop === 'updateOne' && isCheckpoint) return this.checkpointWrite(method, args);
          return method(...args);
        };
      },
    });
  }

  private async bulkWrite(method: (...args: unknown[]) => Promise<unknown>, [ops, options]: unknown[]): Promise<unknown> {
    if (!this.armed) return method(ops, options);
    this.bulkWrites += 1;
    const { kind, at } = this.plan ?? { kind: null, at: 0 };
    if ((kind !== 'mid-bulk' && kind !== 'bulk-done-unacknowledged') || this.bulkWrites !== at) return method(ops, options);
    const all = ops as unknown[];
    const written = kind === 'mid-bulk' ? Math.floor(this.random() * all.length) : all.length;
    if (written > 0) await method(all.slice(0, written), options);
    this.die(kind);
  }

  private async checkpointWrite(method: (...args: unknown[]) => Promise<unknown>, args: unknown[]): Promise<unknown> {
    if (!this.armed) return method(...args);
    this.checkpointWrites += 1;
    const { kind, at } = this.plan ?? { kind: null, at: 0 };
    if ((kind !== 'before-checkpoint' && kind !== 'checkpoint-unacknowledged') || this.checkpointWrites !== at) return method(...args);
    if (kind === 'checkpoint-unacknowledged') await method(...args);
    this.die(kind);
  }

  private die(kind: CrashKind): never {
    this.dead = true;
    this.kind = kind;
    this.signal(kind);
    throw new Crash(kind);
  }
}

async function waitFor(condition: () => Promise<boolean> | boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describeWithMongo('projector crash recovery', (getUrl, context) => {
  let client: MongoClient;
  let dir: string;
  let events: SqliteEventStore;
  let db: Db;

  beforeAll(async () => {
    client = await MongoClient.connect(getUrl());
  });
  afterAll(async () => {
    await client.close();
  });
  // A fresh database per test, dropped after it.
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'projector-crash-'));
    events = new SqliteEventStore(join(dir, 'events.db'));
    db = client.db(`${context.dbName}_${randomBytes(3).toString('hex')}`);
  });
  afterEach(async () => {
    await db.dropDatabase();
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`converges to the never-crashed read models after ${MIN_CRASHES}+ crashes at random points (seed ${SEED})`, async () => {
    // eslint-disable-next-line no-console
    console.log(`projector crash test: seed ${SEED} (CRASH_SEED=${SEED} to replay)`);
    const random = rngOf(SEED);
    const { log, units, initiatives } = buildHistory(random, 300);
    const total = log.entries.length;
    const initial = Math.floor(total * 0.7);
    await appendRange(log, events, 0, initial);
    // The rest arrives while projectors run (and crash), in slices, after each one has caught up.
    const slices: [number, number][] = [];
    for (let from = initial; from < total; from += 12) slices.push([from, Math.min(total, from + 12)]);

    const checkpointName = readModelCollectionNames().meta;
    const kinds: Record<CrashKind, number> = { 'mid-bulk': 0, 'bulk-done-unacknowledged': 0, 'before-checkpoint': 0, 'checkpoint-unacknowledged': 0 };
    let crashes = 0;
    let liveCrashes = 0;
    let attempts = 0;
    let rebuilds = 0;
    const lease = new MongoLease(db, { name: 'crash-test' });
    const verify = await MongoReadModelStore.open(db);
    const startedAt = Date.now();

    for (;;) {
      attempts += 1;
      if (attempts > 300) throw new Error(`no convergence after ${attempts} runs (seed ${SEED})`);
      let head = await events.headPosition();
      // Caught up: the checkpoint at the head and no bulk load left half-ended (a crash between its checkpoint and the removal of its mark leaves both, and the next start ends it).
      if (slices.length === 0 && (await verify.checkpoint()) === head && (await db.collection(checkpointName).countDocuments({ _id: 'bulk-load' } as never)) === 0) {
        if (crashes >= MIN_CRASHES) break;
        // Everything is written but too few crashes yet: rebuild from scratch, crashing again.
        await dropReadModels(db);
        rebuilds += 1;
      }
      const crashing = new CrashingDb(db, crashes < MAX_CRASHES ? CrashingDb.plan(random) : null, random, checkpointName);
      // Every third run with live events still to come crashes only once live, so that live batches crash too, whatever the seed.
      const liveOnly = slices.length > 0 && attempts % 3 === 0;
      crashing.armed = !liveOnly;
      const store = await MongoReadModelStore.open(crashing.proxy, { chunkSize: pickChunk(random) });
      const errors: Error[] = [];
      // The state is saved every few batches, so that crashes also hit its writes and restarts load it.
      const projector = programmeProjector(events, store, lease, { batchSize: BATCH_SIZE, flushDelayMs: 2, leaseTtlMs: 5_000, stateEveryEvents: 50, onError: (e) => errors.push(e) });
      let stateAtCrash = '';
      void crashing.crashed.then(() => (stateAtCrash = projector.state));
      const started = projector.start().then(
        () => true,
        () => false,
      );
      await Promise.race([started, crashing.crashed]);
      crashing.armed = true;
      // Live: feed it more events, slice by slice, until it crashes or has written everything.
      for (;;) {
        if (crashing.dead || projector.state === 'failed') break;
        if (slices.length > 0) {
          const [from, to] = slices.shift()!;
          await appendRange(log, events, from, to);
        }
        head = await events.headPosition();
        await waitFor(async () => crashing.dead || projector.state === 'failed' || (await verify.checkpoint()) === head, 'the projector to write up to the head');
        if (slices.length === 0) break;
      }
      await projector.stop();
      await started;
      if (crashing.kind) {
        crashes += 1;
        kinds[crashing.kind] += 1;
        if (stateAtCrash === 'live') liveCrashes += 1;
      }
      // Only injected crashes may fail a projector.
      expect(errors.filter((e) => !(e instanceof Crash))).toEqual([]);
    }
    const elapsed = Date.now() - startedAt;
    // eslint-disable-next-line no-console
    console.log(`projector crash test: ${crashes} crashes (${liveCrashes} live) in ${attempts} runs (${rebuilds} rebuilds from scratch), ${JSON.stringify(kinds)}, ${total} events, ${elapsed} ms (seed ${SEED})`);
    expect(crashes).toBeGreaterThanOrEqual(MIN_CRASHES);
    expect(liveCrashes).toBeGreaterThan(0);
    for (const kind of Object.keys(kinds) as CrashKind[]) expect(kinds[kind]).toBeGreaterThan(0);

    const expected = await reference(events, units, initiatives);
    const actual = await snapshot(verify, units, initiatives);
    expect(expected.checkpoint).toBe(await events.headPosition());
    expect(actual.checkpoint).toBe(expected.checkpoint);
    expect(actual.program).toEqual(expected.program);
    expect(actual.units).toEqual(expected.units);
    expect(actual.progress).toEqual(expected.progress);
    expect(actual.initiatives).toEqual(expected.initiatives);
    expect(actual.listings).toEqual(expected.listings);
    expect(actual.everything).toEqual(expected.everything);
    await expectNoStrayDocuments(db, units.length, initiatives.length);
  }, 120_000);

  it(`a second projector waits while the first holds the lease, and takes over once it has expired (seed ${SEED})`, async () => {
    const random = rngOf(SEED + 1);
    const { log, units, initiatives } = buildHistory(random, 60);
    const half = Math.floor(log.entries.length / 2);
    await appendRange(log, events, 0, half);
    const ttl = 600;
    // Lease expiry runs on this clock, moved by the test: whether the lease has expired never depends on timer luck.
    let clock = Date.now();
    console.log(`projector lease takeover test: seed ${SEED} (CRASH_SEED=${SEED} to replay)`);
    const leaseOptions = { name: 'takeover', now: () => clock };

    // The first projector's connection dies on demand: its lease renewals and its writes fail.
    let firstAlive = true;
    let firstRenewals = 0;
    const firstLease = new MongoLease(db, leaseOptions);
    const dyingLease: ProjectorLease = {
      tryAcquire: async (owner, ttlMs) => {
        if (!firstAlive) throw new Error('connection lost');
        const held = await firstLease.tryAcquire(owner, ttlMs);
        if (held) firstRenewals += 1;
        return held;
      },
      release: async (owner) => {
        if (firstAlive) await firstLease.release(owner);
      },
    };
    const dyingDb = new Proxy(db, {
      get: (target, prop) => {
        if (prop === 'collection') {
          return (name: string) =>
            new Proxy(target.collection(name), {
              get: (collection, method) => {
                const value = Reflect.get(collection, method, collection) as unknown;
                if (typeof value !== 'function') return value;
                return (...args: unknown[]) => {
                  if (!firstAlive) throw new Error('connection lost');
                  return (value as (...a: unknown[]) => unknown).apply(collection, args);
                };
              },
            });
        }
        const value = Reflect.get(target, prop, target) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const first = programmeProjector(events, await MongoReadModelStore.open(dyingDb), dyingLease, { owner: 'first', batchSize: BATCH_SIZE, leaseTtlMs: ttl, flushDelayMs: 2, onError: () => undefined });
    await first.start();
    expect(await firstLease.holder()).toMatchObject({ owner: 'first' });

    // The second's attempts, each with the clock it was made at and its answer.
    const secondAttempts: { at: number; held: boolean }[] = [];
    const secondLease = new MongoLease(db, leaseOptions);
    const countingLease: ProjectorLease = {
      tryAcquire: async (owner, ttlMs) => {
        const at = clock;
        const held = await secondLease.tryAcquire(owner, ttlMs);
        secondAttempts.push({ at, held });
        return held;
      },
      release: (owner) => secondLease.release(owner),
    };
    const second = programmeProjector(events, await MongoReadModelStore.open(db), countingLease, { owner: 'second', batchSize: BATCH_SIZE, leaseTtlMs: ttl, flushDelayMs: 2 });
    let secondStarted = false;
    const secondStart = second.start().then(() => (secondStarted = true));
    // While the first renews, the second keeps asking in vain.
    const renewalsBefore = firstRenewals;
    await waitFor(() => firstRenewals >= renewalsBefore + 3 && secondAttempts.length >= 3, 'the first to renew and the second to be refused, several times');
    expect(second.state).toBe('waiting-for-lease');
    expect(secondStarted).toBe(false);
    expect(secondAttempts.every((a) => !a.held)).toBe(true);
    await appendRange(log, events, half, half + 30);
    await waitFor(async () => first.appliedPosition === (await events.headPosition()), 'the first projector to follow the log');

    firstAlive = false;
    const { until } = (await firstLease.holder())!;
    await appendRange(log, events, half + 30, log.entries.length);
    // Until the lease the first last renewed runs out, the second is still refused.
    const refusedAfterDeath = secondAttempts.length + 2;
    await waitFor(() => secondAttempts.length >= refusedAfterDeath, 'the second to ask again while the dead lease runs');
    expect(secondStarted).toBe(false);
    clock = until.getTime();
    await secondStart;
    expect(first.state).toBe('failed');
    expect(await firstLease.holder()).toMatchObject({ owner: 'second' });
    // Its first grant (later ones are its own renewals) came only once the first's lease had run out.
    const granted = secondAttempts.findIndex((a) => a.held);
    expect(granted).toBeGreaterThanOrEqual(refusedAfterDeath);
    expect(secondAttempts[granted].at).toBeGreaterThanOrEqual(until.getTime());
    const head = await events.headPosition();
    const verify = await MongoReadModelStore.open(db);
    await waitFor(async () => (await verify.checkpoint()) === head, 'the second projector to catch up');
    await second.stop();
    await first.stop();

    const expected = await reference(events, units, initiatives);
    const actual = await snapshot(verify, units, initiatives);
    expect(actual).toEqual(expected);
  }, 60_000);
});

async function dropReadModels(db: Db): Promise<void> {
  const names = Object.values(readModelCollectionNames());
  for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) if (names.includes(name as never)) await db.collection(name).drop();
}

function pickChunk(random: () => number): number {
  const r = random();
  return r < 0.4 ? 3 : r < 0.7 ? 10 : 1000;
}

/** Only the documents the programme has: a crash must not leave extra ones behind. */
async function expectNoStrayDocuments(db: Db, units: number, initiatives: number): Promise<void> {
  const names = readModelCollectionNames();
  const phases = 4; // p1, p2, p3 and 'all'
  expect(await db.collection(names.units).countDocuments()).toBe(units);
  expect(await db.collection(names.progress).countDocuments()).toBe(units * phases);
  expect(await db.collection(names.initiatives).countDocuments()).toBe(initiatives);
  expect(await db.collection(names.programs).countDocuments()).toBe(1);
  // The checkpoint, and the saved projection state (its pointer and chunks).
  expect(await db.collection(names.meta).countDocuments({ _id: { $not: /^state/ } } as never)).toBe(1);
}
