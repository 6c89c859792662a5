import { streams } from '@app/domain';
import { SqliteEventStore } from '@app/event-store';
import { historyRichLog } from '../../test/history-rich-log';
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
  const log = historyRichLog();

  let events: SqliteEventStore;
  let store: MemoryReadModelStore;
  beforeAll(async () => {
    events = new SqliteEventStore(':memory:');
    await log.appendTo(events);
    const projection = await replayLog(events, { journal: true });
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

  it("the unit's verification compares its history journal with the log's, entry by entry", async () => {
    const projection = await replayLog(events, { journal: true });
    projection.markEverythingDirty();
    const altered = new MemoryReadModelStore();
    const changes = projection.flush();
    await altered.write(changes, await events.headPosition());
    const line = changes.journal!.lines.find((l) => l.unitId === 'a' && l.phaseId === 'p1' && l.subtree?.change.counted === 1)!;
    // One running total rewritten in the read model: a figure the log never showed.
    await altered.write({ progress: [], units: [], initiatives: [], programs: [], journal: { lines: [{ ...line, subtree: { ...line.subtree!, totals: { ...line.subtree!.totals, counted: 99 } } }], events: [] } }, await events.headPosition());
    const result = await verifyUnit(altered, events, 'bk', 'a');
    expect(result.consistent).toBe(false);
    expect(result.differences).toEqual([{ document: `history bk/a/p1/subtree at ${line.position}`, field: 'totals.counted', readModel: 99, replay: line.subtree!.totals.counted }]);
    expect(await verifyUnit(store, events, 'bk', 'a')).toMatchObject({ consistent: true });
  });

  it('names everything that was ever in a subtree, and nothing else', async () => {
    expect((await store.everUnder('a')).unitIds.sort()).toEqual(['a', 'a1', 'b1', 'b2']);
    expect((await store.everUnder('a')).initiativeIds.sort()).toEqual(['i1', 'i2', 'i3', 'i4', 'i5']);
    expect((await store.everUnder('b')).unitIds.sort()).toEqual(['b', 'b1', 'b2']);
    expect((await store.everUnder('b1')).initiativeIds.sort()).toEqual(['i2', 'i5']);
  });
});
