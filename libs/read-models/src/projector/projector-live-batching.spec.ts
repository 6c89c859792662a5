import { SqliteEventStore } from '@app/event-store';
import { ProgrammeLog } from '../../test/programme-log';
import { MemoryReadModelStore } from '../store/memory/memory-read-model-store';
import { ProjectionChanges } from '../projection/read-model-projections';
import { SavedProjectionState } from '../projection/projection-state';
import { programmeProjector } from './programme-projector';
import { InProcessLease } from './projector-lease.port';

jest.setTimeout(30_000);

/** Read models whose every write takes `ms` (a store on a busy disk). */
class SlowStore extends MemoryReadModelStore {
  ms = 0;
  override async write(changes: ProjectionChanges, position: bigint, state?: SavedProjectionState): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, this.ms));
    return super.write(changes, position, state);
  }
}

describe('the projector live, under load', () => {
  it('after a slow write, lets the next events gather for longer (four times as long as it took) before writing them', async () => {
    const events = new SqliteEventStore(':memory:');
    const log = new ProgrammeLog('bk').launchBacKan().unit('prov', 'province', null, 100).unit('a', 'grassroots', 'prov', 40);
    await log.appendTo(events);
    const before = log.entries.length;
    log.submit('slow', 'a', '2022-03-01T03:00:00Z', '1000').submit('next', 'a', '2022-03-02T03:00:00Z', '1000');
    const store = new SlowStore();
    const projector = programmeProjector(events, store, new InProcessLease(), { flushDelayMs: 10 });
    await projector.start();
    const written = async (count: number) => {
      await log.appendTo(events, before + count - 1, before + count);
      const head = await events.headPosition();
      while ((await store.checkpoint()) < head) await new Promise((resolve) => setTimeout(resolve, 2));
    };
    store.ms = 50;
    await written(1);
    const appended = performance.now();
    await written(2);
    // A fixed 10 ms wait would have written it within ~60 ms (the wait and the 50 ms write); timers only ever fire late.
    expect(performance.now() - appended).toBeGreaterThanOrEqual(150);
    expect((await store.initiative('next'))?.initiativeId).toBe('next');
    await projector.stop();
    await events.close();
  });
});
