import { SqliteEventStore } from '@app/event-store';
import { ProgrammeLog } from '../../test/programme-log';
import { MemoryGenerations } from '../store/memory/memory-generations';
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
