import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SqliteEventStore } from '@app/event-store';
import { ProgrammeLog } from '../../test/programme-log';
import { MemoryGenerations } from '../store/memory/memory-generations';
import { ReadModelStore } from '../store/read-model-store.port';
import { SqliteGenerations } from '../store/sqlite/sqlite-generations';
import { InProcessLease } from './projector-lease.port';
import { ProjectionManager } from './projection-manager';

describe('a ProjectionManager that only reads (beside a projector elsewhere)', () => {
  it('says how far behind the read models are, in events and in the age of the last event projected', async () => {
    const events = new SqliteEventStore(':memory:');
    const generations = new MemoryGenerations();
    const log = new ProgrammeLog('bk-2022').launchBacKan().unit('tinh', 'province', null, 40).unit('huyen', 'district', 'tinh', 20);
    await log.appendTo(events, 0, log.entries.length - 1, { recordedHourly: true });
    const writer = await ProjectionManager.start(events, generations, { writer: true, lease: new InProcessLease() });
    const projected = await events.headPosition();
    await writer.stop();
    // The projector is gone; the log goes on.
    await log.appendTo(events, log.entries.length - 1);
    const reader = await ProjectionManager.start(events, generations, { writer: false, lease: new InProcessLease() });
    const status = await reader.status();
    const [last] = await events.readAll({ after: projected - 1n, maxCount: 1 });
    expect(status).toMatchObject({ state: 'live', position: projected.toString(), lag: '1' });
    expect(status.lagSeconds).toBeCloseTo((Date.now() - Date.parse(last!.metadata.recordedAt)) / 1000, -1);
    expect(status.lagSeconds).toBeGreaterThan(3600);
    await reader.stop();
    await events.close();
  });
});

/** SQLite generations whose opening of any generation after the first waits for `release()`: a reader slow to follow a switch. */
class SlowToFollow extends SqliteGenerations {
  private opened!: () => void;
  private readonly gate = new Promise<void>((resolve) => (this.opened = resolve));
  release(): void {
    this.opened();
  }
  override async open(generation: number): Promise<ReadModelStore> {
    if (generation > 1) await this.gate;
    return super.open(generation);
  }
}

async function until(condition: () => Promise<boolean>, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not within ${withinMs} ms`);
    await sleep(10);
  }
}

describe('an old generation after a switch', () => {
  it('outlives the switch for as long as a reader still reads it, then goes', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'generations-')), 'read-models.db');
    const events = new SqliteEventStore(':memory:');
    const log = new ProgrammeLog('bk-2022').launchBacKan().unit('tinh', 'province', null, 40);
    await log.appendTo(events);
    const lease = new InProcessLease();
    const writerGenerations = new SqliteGenerations(file);
    const readerGenerations = new SlowToFollow(file, 'progress', { checkpoints: false });
    const writer = await ProjectionManager.start(events, writerGenerations, { writer: true, lease, pointerRefreshMs: 10, dropGraceMs: 50 });
    const reader = await ProjectionManager.start(events, readerGenerations, { writer: false, lease, pointerRefreshMs: 10 });
    await until(async () => (await reader.store.unit('tinh')) !== null, 2_000);

    await writer.rebuild();
    await until(async () => (await writer.status()).generation === 2, 5_000);
    // Ten times the grace, and the reader has not followed: its generation is still there, and answers.
    await sleep(500);
    expect(await writerGenerations.list()).toEqual([1, 2]);
    expect((await reader.status()).generation).toBe(1);
    expect(await reader.store.unit('tinh')).toMatchObject({ unitId: 'tinh', memberCount: 40, status: 'active' });

    readerGenerations.release();
    await until(async () => (await reader.status()).generation === 2, 2_000);
    await until(async () => (await writerGenerations.list()).length === 1, 2_000);
    expect(await writerGenerations.list()).toEqual([2]);
    expect(await reader.store.unit('tinh')).toMatchObject({ unitId: 'tinh', memberCount: 40, status: 'active' });
    await reader.stop();
    await writer.stop();
    await Promise.all([readerGenerations.close(), writerGenerations.close(), events.close()]);
  });

  it('goes after the grace once every reader has followed, and a stopped reader holds nothing', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'generations-')), 'read-models.db');
    const events = new SqliteEventStore(':memory:');
    await new ProgrammeLog('bk-2022').launchBacKan().unit('tinh', 'province', null, 40).appendTo(events);
    const lease = new InProcessLease();
    const writerGenerations = new SqliteGenerations(file);
    const readerGenerations = new SlowToFollow(file, 'progress', { checkpoints: false });
    const writer = await ProjectionManager.start(events, writerGenerations, { writer: true, lease, pointerRefreshMs: 10, dropGraceMs: 50 });
    const reader = await ProjectionManager.start(events, readerGenerations, { writer: false, lease, pointerRefreshMs: 10 });
    expect(await writerGenerations.generationsRead(60_000)).toEqual([1]);
    await reader.stop();
    expect(await writerGenerations.generationsRead(60_000)).toEqual([]);

    await writer.rebuild();
    await until(async () => (await writer.status()).generation === 2, 5_000);
    await until(async () => (await writerGenerations.list()).length === 1, 2_000);
    expect(await writerGenerations.list()).toEqual([2]);
    await writer.stop();
    await Promise.all([readerGenerations.close(), writerGenerations.close(), events.close()]);
  });
});
