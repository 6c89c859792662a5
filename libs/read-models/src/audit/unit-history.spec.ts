import { streams } from '@app/domain';
import { SqliteEventStore } from '@app/event-store';
import { ProgrammeLog } from '../../test/programme-log';
import { MemoryReadModelStore } from '../store/memory/memory-read-model-store';
import { progressThen } from './progress-then';
import { replayLog } from './replay';
import { rulesFromProgramEvents } from './rules-history';
import { unitHistory } from './unit-history';
import { unitStreams } from './unit-streams';
import { verifyUnit } from './verification';

/**
 * A unit's history replayed from only the streams the read model names (everything ever in its
 * subtree) must be the history a replay of the whole log gives — through initiatives moved in and
 * out, units moved in and out, a merge, member counts and quotas.
 */
describe('unit history from the streams of what was ever in the subtree', () => {
  const log = new ProgrammeLog('bk')
    .launchBacKan()
    .unit('prov', 'province', null, 10)
    .unit('a', 'district', 'prov', 200)
    .unit('b', 'district', 'prov', 300)
    .unit('a1', 'grassroots', 'a', 40)
    .unit('b1', 'grassroots', 'b', 60)
    .unit('b2', 'grassroots', 'b', 50)
    .quota('a', 'p1', 3)
    .submit('i1', 'a1', '2022-02-01T02:00:00Z')
    .approve('i1', 'a1', '2022-02-02T02:00:00Z', '100')
    .submit('i2', 'b1', '2022-02-03T02:00:00Z')
    .approve('i2', 'b1', '2022-02-04T02:00:00Z', '200')
    .submit('i3', 'a1', '2022-02-05T02:00:00Z')
    .moveInitiative('i3', 'a1', 'b2')
    .approve('i3', 'b2', '2022-02-06T02:00:00Z', '300')
    .submit('i4', 'b2', '2022-03-01T02:00:00Z')
    .moveInitiative('i4', 'b2', 'a1')
    .approve('i4', 'a1', '2022-03-02T02:00:00Z', '400')
    .move('b1', 'b', 'a')
    .members('b1', 90, '2022-06-01')
    .submit('i5', 'b1', '2022-07-01T02:00:00Z')
    .approve('i5', 'b1', '2022-07-02T02:00:00Z', '500')
    .merge('b2', 'b', 'a1', '2022-08-01')
    .revoke('i2', 'b1')
    .quota('a', 'p1', 5, 3);

  let events: SqliteEventStore;
  let store: MemoryReadModelStore;
  beforeAll(async () => {
    events = new SqliteEventStore(':memory:');
    await log.appendTo(events);
    const projection = await replayLog(events);
    projection.markEverythingDirty();
    store = new MemoryReadModelStore();
    await store.write(projection.flush(), await events.headPosition());
  });
  afterAll(() => events.close());

  it.each([
    ['a', 'p1', true],
    ['a', 'all', true],
    ['a', 'p2', false],
    ['b', 'all', true],
    ['b1', 'all', false],
    ['a1', 'p1', true],
    ['prov', 'all', true],
  ])('unit %s, phase %s, subtree %s', async (unitId, phaseId, subtree) => {
    const rules = new Map([['bk', rulesFromProgramEvents(await events.readStream(streams.program('bk')))!]]);
    const relevant = await unitStreams(store, 'bk', unitId);
    const request = { programId: 'bk', unitId, phaseId, subtree, rules };
    const fromStreams = await unitHistory(events, { ...request, streams: relevant });
    const fromLog = await unitHistory(events, request);
    expect(fromStreams.entries).toEqual(fromLog.entries);
    expect(fromLog.entries.length).toBeGreaterThan(0);
  });

  it.each(['a', 'b', 'b1', 'a1', 'prov'])('unit %s: "as of", "on" and verification from its streams equal a whole-log replay', async (unitId) => {
    const relevant = await unitStreams(store, 'bk', unitId);
    const middle = (await events.headPosition()) / 2n;
    for (const then of [{ kind: 'recorded', position: middle } as const, { kind: 'businessDate', date: '2022-06-30' } as const]) {
      for (const rules of ['then', 'current'] as const) {
        const fromStreams = await progressThen(events, 'bk', unitId, then, rules, relevant);
        const fromLog = await progressThen(events, 'bk', unitId, then, rules);
        expect({ rows: fromStreams?.rows, rulesVersion: fromStreams?.rulesVersion }).toEqual({ rows: fromLog?.rows, rulesVersion: fromLog?.rulesVersion });
      }
    }
    expect(await verifyUnit(store, events, 'bk', unitId)).toMatchObject({ consistent: true, differences: [] });
  });

  it('names everything that was ever in a subtree, and nothing else', async () => {
    expect((await store.everUnder('a')).unitIds.sort()).toEqual(['a', 'a1', 'b1', 'b2']);
    expect((await store.everUnder('a')).initiativeIds.sort()).toEqual(['i1', 'i2', 'i3', 'i4', 'i5']);
    expect((await store.everUnder('b')).unitIds.sort()).toEqual(['b', 'b1', 'b2']);
    expect((await store.everUnder('b1')).initiativeIds.sort()).toEqual(['i2', 'i5']);
  });
});
