import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStore, SqliteEventStore } from '@app/event-store';
import { InProcessLease, MemoryReadModelStore, programmeProjector, PROJECTION_STATE_VERSION, replayLog, restoreProjectionState, checksumOf, restoreProjectionStateBetweenTurns, saveProjectionState, SqliteReadModelStore } from '@app/read-models';
import { ProgrammeLog } from '../../libs/read-models/test/programme-log';
import { turnsDuring } from '../support/event-loop-turns';
import { logReads } from '../support/log-reads';
import { documentsOf } from '../support/read-model-documents';

jest.setTimeout(60_000);

/** Every kind of event, with moves, merges, corrections and quotas, so that the saved state carries all of its parts. */
const history = () => {
  const log = new ProgrammeLog('bk').launchBacKan().unit('prov', 'province', null, 100).unit('a', 'district', 'prov', 300).unit('b', 'district', 'prov', 500);
  log.unit('a1', 'grassroots', 'a', 40).unit('b1', 'grassroots', 'b', 60).quota('a', 'p1', 9);
  for (let i = 0; i < 60; i++) {
    const unit = ['a', 'b', 'a1', 'b1'][i % 4];
    log.submit(`i${i}`, unit, `2022-0${2 + (i % 6)}-1${i % 10}T03:00:00Z`, `${1000 + i}`, { title: `Sáng kiến ${i}` });
    if (i % 3 !== 0) log.approve(`i${i}`, unit, '2022-08-01T03:00:00Z', `${i * 1000}`);
    if (i % 7 === 0) log.correct(`i${i}`, unit, { title: `Cải tiến ${i}`, benefitValue: '77' });
    if (i === 30) log.move('a1', 'a', 'b').members('b', 550, '2022-06-01');
  }
  return log.moveInitiative('i5', 'b', 'a').revoke('i4', 'a').merge('b1', 'b', 'a').quota('b', null, 40);
};

/** The reference: the whole log folded in memory and every document rendered from it, no projector involved. */
async function foldedDocuments(events: EventStore): Promise<Awaited<ReturnType<typeof documentsOf>>> {
  const projection = await replayLog(events, { journal: true });
  projection.markEverythingDirty();
  const memory = new MemoryReadModelStore();
  await memory.write(projection.flush(), projection.position);
  return documentsOf(memory);
}

describe('the projection state saved with the checkpoint (SQLite read models)', () => {
  const log = history();
  const half = Math.floor(log.entries.length / 2);
  let dir: string;
  let events: SqliteEventStore;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'projector-state-'));
    events = new SqliteEventStore(join(dir, 'events.db'));
    await log.appendTo(events, 0, half);
  });
  afterEach(async () => {
    await events.close();
  });

  /** Projects the first half and stops cleanly (saving the state), then the log grows by the second half. */
  async function firstHalf(options: { stateEveryEvents?: number; stop?: boolean } = {}): Promise<{ path: string; stoppedAt: bigint }> {
    const path = join(dir, 'read-models.db');
    const store = SqliteReadModelStore.open(path);
    const first = programmeProjector(events, store, new InProcessLease(), { batchSize: 10, stateEveryEvents: options.stateEveryEvents });
    await first.start();
    let grown = half;
    if (options.stop === false) {
      // Live events after the state saved on catching up, then the process dies: its store goes first, so nothing more is saved.
      await log.appendTo(events, half, (grown = half + 5));
      const head = await events.headPosition();
      while ((await store.checkpoint()) < head) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const stoppedAt = await store.checkpoint();
    if (options.stop === false) await store.close();
    await first.stop();
    if (options.stop !== false) await store.close();
    await log.appendTo(events, grown);
    return { path, stoppedAt };
  }

  async function secondStart(path: string) {
    const { events: read, readsFrom } = logReads(events);
    const store = SqliteReadModelStore.open(path);
    const warnings: string[] = [];
    const second = programmeProjector(read, store, new InProcessLease(), { batchSize: 10, onWarning: (w) => warnings.push(w) });
    await second.start();
    await second.stop();
    const documents = await documentsOf(store);
    const checkpoint = await store.checkpoint();
    await store.close();
    return { readsFrom, warnings, documents, checkpoint };
  }

  it('a start loads the saved state and replays only the tail: the documents equal a full replay', async () => {
    const { path, stoppedAt } = await firstHalf();
    const second = await secondStart(path);
    expect(second.warnings).toEqual([]);
    expect(second.readsFrom.every((after) => after >= stoppedAt)).toBe(true);
    expect(second.checkpoint).toBe(await events.headPosition());
    expect(second.documents).toEqual(await foldedDocuments(events));
  });

  it('a state saved before the checkpoint (the process died between saves) is loaded and the gap replayed', async () => {
    const { path, stoppedAt } = await firstHalf({ stateEveryEvents: 25, stop: false });
    const peek = SqliteReadModelStore.open(path);
    const saved = (await peek.savedState())!;
    await peek.close();
    expect(saved.position > 0n && saved.position < stoppedAt).toBe(true);
    // The units' Vietnamese names are kept as escapes: a one-byte string to parse at start.
    expect(saved.body).toContain('C\\u00f4ng \\u0111o\\u00e0n');
    expect(/^[\x20-\x7e\n]*$/.test(saved.body)).toBe(true);
    const second = await secondStart(path);
    expect(second.warnings).toEqual([]);
    expect(second.readsFrom.every((after) => after >= saved.position)).toBe(true);
    expect(second.documents).toEqual(await foldedDocuments(events));
  });

  const tampered: [string, (db: Database.Database) => void, RegExp][] = [
    ['corrupt (a figure changed, the checksum not)', (db) => db.prepare("UPDATE meta SET value = replace(value, '\"approved\"', '\"rejected\"') WHERE key = 'state.body'").run(), /checksum does not match/],
    ['of another version', (db) => db.prepare("UPDATE meta SET value = json_set(value, '$.version', 'progress/0/state/1') WHERE key = 'state'").run(), /of version progress\/0\/state\/1, not/],
    ['beyond the checkpoint', (db) => db.prepare("UPDATE meta SET value = json_set(value, '$.position', '999999') WHERE key = 'state'").run(), /beyond the checkpoint/],
    ['missing', (db) => db.prepare("DELETE FROM meta WHERE key LIKE 'state%'").run(), /No saved projection state/],
  ];
  it.each(tampered)('a state %s is refused out loud, and a full replay gives the same documents', async (_what, tamper, warning) => {
    const { path } = await firstHalf();
    const db = new Database(path);
    expect(db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'state'").get()!.value).toContain(PROJECTION_STATE_VERSION);
    tamper(db);
    db.close();
    const second = await secondStart(path);
    expect(second.warnings).toEqual([expect.stringMatching(warning)]);
    expect(second.readsFrom[0]).toBe(0n);
    expect(second.documents).toEqual(await foldedDocuments(events));
  });

  it('restored between turns of the event loop (for a thread that answers meanwhile), it is the same projection, and refused the same', async () => {
    const { path, stoppedAt } = await firstHalf();
    const peek = SqliteReadModelStore.open(path);
    const saved = (await peek.savedState())!;
    await peek.close();
    const { turns, result } = await turnsDuring(() => restoreProjectionStateBetweenTurns(saved, stoppedAt));
    expect(turns).toBeGreaterThanOrEqual(2);
    expect(result.exportState()).toEqual(restoreProjectionState(saved, stoppedAt).exportState());
    expect(result.exportState().units.length).toBeGreaterThan(0);
    const corrupt = { ...saved, body: saved.body.replace('"approved"', '"rejected"') };
    await expect(restoreProjectionStateBetweenTurns(corrupt, stoppedAt)).rejects.toThrow(/checksum does not match/);
    await expect(restoreProjectionStateBetweenTurns(saved, stoppedAt - 1n)).rejects.toThrow(/beyond the checkpoint/);
  });
});

describe('a large saved state', () => {
  it('is saved as lines of at most 10,000 entries, parsed one per turn of the event loop, and restores the same projection', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'projector-state-lines-'));
    const events = new SqliteEventStore(join(dir, 'events.db'));
    try {
      const log = new ProgrammeLog('bk').launchBacKan().unit('prov', 'province', null, 100);
      for (let i = 0; i < 20_500; i++) log.unit(`u${i}`, 'grassroots', 'prov', 10 + (i % 7));
      log.submit('i1', 'u7', '2022-03-01T03:00:00Z', '1000').approve('i1', 'u7', '2022-04-01T03:00:00Z', '5000');
      await log.appendTo(events);
      const projection = await replayLog(events);
      projection.flush();
      const saved = saveProjectionState(projection);
      const lines = saved.body.split('\n').map((line) => JSON.parse(line) as unknown);
      expect(lines[0]).toMatchObject({ position: projection.position.toString() });
      const sections = lines.slice(1).map((line) => line as [string, unknown[]]);
      // 20,501 units: three lines of units; no quotas; one unit with an initiative, whose figures (and its province's) take a line of each scope.
      expect(sections.map(([section, entries]) => [section, entries.length])).toEqual([
        ['units', 10_000],
        ['units', 10_000],
        ['units', 501],
        ['initiativesOfUnit', 1],
        ['own', 1],
        ['subtree', 2],
      ]);
      const { turns, result } = await turnsDuring(() => restoreProjectionStateBetweenTurns(saved, projection.position));
      expect(turns).toBeGreaterThanOrEqual(sections.length);
      expect(result.exportState()).toEqual(projection.exportState());
      expect(result.progress.rows('bk', 'prov').find((row) => row.phaseId === 'all')).toMatchObject({ counted: 1, benefitValue: '5000' });
      const reordered = { ...saved, body: [saved.body.split('\n')[0], '["members", []]'].join('\n') };
      await expect(restoreProjectionStateBetweenTurns({ ...reordered, checksum: checksumOf(reordered.body) }, projection.position)).rejects.toThrow(/does not decode \(a section named "members"\)/);
    } finally {
      await events.close();
    }
  });
});

describe('a bulk load (a store filled from the start of the log) on SQLite read models', () => {
  const log = history();
  let dir: string;
  let events: SqliteEventStore;
  let reference: Awaited<ReturnType<typeof documentsOf>>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bulk-load-'));
    events = new SqliteEventStore(join(dir, 'events.db'));
    await log.appendTo(events);
    reference = await foldedDocuments(events);
  });
  afterAll(async () => {
    await events.close();
  });

  it('writes figures once, at its end, and leaves the store indexed and no longer marked as loading', async () => {
    const path = join(dir, 'whole.db');
    const store = SqliteReadModelStore.open(path);
    const projector = programmeProjector(events, store, new InProcessLease(), { batchSize: 10 });
    await projector.start();
    await projector.stop();
    expect(await store.bulkLoading()).toBeNull();
    expect(await store.checkpoint()).toBe(await events.headPosition());
    expect(await documentsOf(store)).toEqual(reference);
    // Subtree lists, search and histories read the tables the load derived at its end.
    expect((await store.initiatives({ unitId: 'prov', subtree: true, limit: 100 })).items).toHaveLength(60);
    expect((await store.initiatives({ q: 'cai tien', limit: 100 })).items.map((d) => d.initiativeId).sort()).toEqual(
      reference.initiatives.filter((d) => d.title.startsWith('Cải tiến')).map((d) => d.initiativeId).sort(),
    );
    expect((await store.everUnder('a')).unitIds).toContain('b1');
    await store.close();
    const db = new Database(path);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'index' AND name LIKE 'progress_%'").get()).toEqual({ n: 17 });
    db.close();
  });

  it.each([2, 5, 9])('a crash at write %i of the load: the next start carries the load on and ends with the same documents', async (failAt) => {
    const path = join(dir, `crash-${failAt}.db`);
    const store = SqliteReadModelStore.open(path);
    let writes = 0;
    const failing = new Proxy(store, {
      get: (target, prop) => {
        if (prop === 'write')
          return (...args: Parameters<SqliteReadModelStore['write']>) => {
            if (++writes === failAt) return Promise.reject(new Error('crash injected in the bulk load'));
            return target.write(...args);
          };
        const value = Reflect.get(target, prop, target) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const errors: Error[] = [];
    const first = programmeProjector(events, failing, new InProcessLease(), { batchSize: 10, stateEveryEvents: 3, onError: (e) => errors.push(e) });
    await first.start().catch(() => undefined);
    while (errors.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await first.stop();
    await store.close();
    const reopened = SqliteReadModelStore.open(path);
    // Mid-load the checkpoint claims nothing: the figures are still to be written.
    expect(await reopened.bulkLoading()).toBeLessThan(await events.headPosition());
    expect(await reopened.checkpoint()).toBe(0n);
    const second = programmeProjector(events, reopened, new InProcessLease(), { batchSize: 10, onWarning: () => undefined });
    await second.start();
    await second.stop();
    expect(await reopened.bulkLoading()).toBeNull();
    expect(await reopened.checkpoint()).toBe(await events.headPosition());
    expect(await documentsOf(reopened)).toEqual(reference);
    await reopened.close();
  });
});

describe('a projector that keeps few initiatives in memory (the rest folded again from their streams)', () => {
  // Decisions, corrections and moves long after the submissions: by then their initiatives have left memory.
  const log = new ProgrammeLog('bk').launchBacKan().unit('prov', 'province', null, 100).unit('a', 'district', 'prov', 300).unit('b', 'district', 'prov', 500);
  log.unit('a1', 'grassroots', 'a', 40).unit('b1', 'grassroots', 'b', 60).quota('a', 'p1', 9);
  const unitOf = (i: number) => ['a', 'b', 'a1', 'b1'][i % 4];
  for (let i = 0; i < 40; i++) log.submit(`i${i}`, unitOf(i), `2022-0${2 + (i % 6)}-1${i % 10}T03:00:00Z`, `${1000 + i}`, { title: `Sáng kiến ${i}` });
  for (let i = 39; i >= 0; i--) if (i % 3 !== 0) log.approve(`i${i}`, unitOf(i), '2022-08-01T03:00:00Z', `${i * 1000}`);
  log.correct('i2', 'a1', { benefitValue: '77', title: 'Cải tiến 2' }).revoke('i4', 'a').reject('i3', 'b1').withdraw('i0', 'a');
  log.move('a1', 'a', 'b').moveInitiative('i5', 'b', 'a').merge('b1', 'b', 'a').approve('i6', 'a1', '2022-09-01T03:00:00Z', '5');

  let events: SqliteEventStore;
  let reference: Awaited<ReturnType<typeof documentsOf>>;
  beforeAll(async () => {
    events = new SqliteEventStore(':memory:');
    await log.appendTo(events);
    reference = await foldedDocuments(events);
  });
  afterAll(async () => {
    await events.close();
  });

  const stores: [string, () => SqliteReadModelStore | MemoryReadModelStore][] = [
    ['SQLite', () => SqliteReadModelStore.open(':memory:')],
    ['memory', () => new MemoryReadModelStore()],
  ];
  it.each(stores)('writes exactly the documents of the whole log folded at once (%s read models)', async (_name, open) => {
    const store = open();
    const projector = programmeProjector(events, store, new InProcessLease(), { batchSize: 7, initiativesInMemory: 3 });
    await projector.start();
    await projector.stop();
    expect(await documentsOf(store)).toEqual(reference);
    await store.close();
  });

  it('after a restart from a state saved mid-way (the process died between saves), the tail folds its initiatives from the log', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'few-initiatives-')), 'read-models.db');
    const half = new SqliteEventStore(':memory:');
    await log.appendTo(half, 0, 60);
    const first = SqliteReadModelStore.open(path);
    const dying = programmeProjector(half, first, new InProcessLease(), { batchSize: 7, stateEveryEvents: 30, initiativesInMemory: 3 });
    await dying.start();
    await log.appendTo(half, 60);
    const head = await half.headPosition();
    while ((await first.checkpoint()) < head) await new Promise((resolve) => setTimeout(resolve, 5));
    // Its store goes first: nothing more is saved, so the saved state lies behind the checkpoint.
    await first.close();
    await dying.stop();
    const store = SqliteReadModelStore.open(path);
    const saved = (await store.savedState())!;
    expect(saved.position).toBeLessThan(await store.checkpoint());
    const warnings: string[] = [];
    const second = programmeProjector(half, store, new InProcessLease(), { batchSize: 7, initiativesInMemory: 3, onWarning: (w) => warnings.push(w) });
    await second.start();
    await second.stop();
    expect(warnings).toEqual([]);
    expect(await documentsOf(store)).toEqual(await foldedDocuments(half));
    await store.close();
    await half.close();
  });
});
