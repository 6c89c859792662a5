import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asLocalDate, simulatePlan } from '@app/domain';
import { SqliteEventStore } from '@app/event-store';
import { InProcessLease, programmeProjector, SqliteReadModelStore } from '@app/read-models';
import { ProgrammeLog } from '../../../../libs/read-models/test/programme-log';
import { logReads } from '../../../../test/support/log-reads';
import { CurrentTree } from './current-tree';
import { PlanPreview, PlanPreviewer, PreviewStart } from './plan-preview';

jest.setTimeout(60_000);

/** Two districts under a province, a second province, initiatives counted in every unit, a quota: the first part of the log. */
function history(): ProgrammeLog {
  const log = new ProgrammeLog('bk').launchBacKan().unit('tinh', 'province', null, 100).unit('tinh-2', 'province', null, 50);
  log.unit('a', 'district', 'tinh', 300).unit('b', 'district', 'tinh', 500).unit('a1', 'grassroots', 'a', 40).unit('b1', 'grassroots', 'b', 60).quota('a', 'p1', 9);
  for (let i = 0; i < 40; i++) {
    const unit = ['a', 'b', 'a1', 'b1'][i % 4];
    log.submit(`i${i}`, unit, `2022-0${2 + (i % 6)}-1${i % 10}T03:00:00Z`, `${1000 + i}`);
    if (i % 3 !== 0) log.approve(`i${i}`, unit, '2022-08-01T03:00:00Z', `${i * 1000}`);
  }
  return log;
}

/** After the state was saved: more submissions, and approvals of initiatives submitted before it (whose nodes the saved state does not hold). */
function tail(log: ProgrammeLog): ProgrammeLog {
  for (let i = 40; i < 50; i++) log.submit(`i${i}`, i % 2 ? 'a1' : 'b1', '2022-09-01T03:00:00Z', `${2000 + i}`);
  for (const i of [0, 3, 6, 9]) log.approve(`i${i}`, ['a', 'b', 'a1', 'b1'][i % 4], '2022-09-15T03:00:00Z', '5000000');
  return log.members('b1', 75, '2022-09-01');
}

/** A plan's preview: the whole of the log replayed only when the projector's saved state cannot be used. */
describe('A plan preview', () => {
  let dir: string;
  let events: SqliteEventStore;
  let store: SqliteReadModelStore;
  let savedAt: bigint;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'plan-preview-'));
    events = new SqliteEventStore(join(dir, 'events.db'));
    const log = history();
    const saved = log.entries.length;
    await log.appendTo(events);
    store = SqliteReadModelStore.open(join(dir, 'read-models.db'));
    // Projected and stopped: the state is saved at the head; then the log grows by a tail the read models have not seen.
    const projector = programmeProjector(events, store, new InProcessLease(), { batchSize: 10 });
    await projector.start();
    await projector.stop();
    savedAt = (await store.savedState())!.position;
    expect(savedAt).toBe(await events.headPosition());
    await tail(log).appendTo(events, saved);
  });
  afterAll(async () => {
    await store.close();
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The preview of moving district b (its initiatives, members and quota) under the second province. */
  async function previewed(start: (previewer: PlanPreviewer) => Promise<PreviewStart>): Promise<{ preview: PlanPreview; readsFrom: bigint[] }> {
    // The programmes' launches, read whole by type, aside.
    const { events: read, readsFrom } = logReads(events, (options) => options.eventTypes?.length !== 1);
    const previewer = new PlanPreviewer(read, store);
    const first = await start(previewer);
    const { tree, position } = await new CurrentTree(events).load();
    const simulated = simulatePlan({ documentRef: '759/QĐ-TLĐ', effectiveOn: asLocalDate('2025-07-01'), steps: [{ action: 'move', unitId: 'b', toParentId: 'tinh-2' }] }, tree);
    expect(simulated.problems).toEqual([]);
    const preview = await previewer.preview({ start: first, position, before: tree, after: simulated.after, events: simulated.events.flat(), effectiveOn: asLocalDate('2025-07-01') });
    return { preview, readsFrom };
  }
  const figures = (preview: PlanPreview, unitId: string, side: 'before' | 'after') => preview.units.find((u) => u.unitId === unitId)![side]!.figures.find((f) => f.phaseId === 'all')!;

  it("carries on the projector's saved state, reading only the log after it, and answers what a replay of the whole log answers", async () => {
    const fromState = await previewed((previewer) => previewer.start());
    expect(fromState.readsFrom.length).toBeGreaterThan(0);
    expect(fromState.readsFrom.every((after) => after >= savedAt)).toBe(true);

    const whole = await previewed(async (previewer) => ({ ...(await previewer.start()), saved: null }));
    expect(whole.readsFrom[0]).toBe(0n);
    expect(fromState.preview).toEqual(whole.preview);

    // The tail is in the figures: 26 initiatives approved before the state was saved, 4 after (i0, i3, i6, i9, whose nodes it did not hold).
    const tinhBefore = figures(fromState.preview, 'tinh', 'before');
    const tinh2After = figures(fromState.preview, 'tinh-2', 'after');
    expect(tinhBefore.counted).toBe(26 + 4);
    // b moves with b1 under it: their counted initiatives go with them, and the two provinces still hold every one.
    expect(figures(fromState.preview, 'tinh-2', 'before').counted).toBe(0);
    expect(tinh2After.counted).toBeGreaterThan(0);
    expect(figures(fromState.preview, 'tinh', 'after').counted + tinh2After.counted).toBe(tinhBefore.counted);
    expect(BigInt(figures(fromState.preview, 'tinh', 'after').benefitValue) + BigInt(tinh2After.benefitValue)).toBe(BigInt(tinhBefore.benefitValue));
  });

  it('replays the whole log, with the same answer, when the saved state does not hold (corrupt) or is beyond the plan', async () => {
    const reference = (await previewed((previewer) => previewer.start())).preview;
    const corrupt = await previewed(async (previewer) => {
      const start = await previewer.start();
      return { ...start, saved: { ...start.saved!, body: start.saved!.body.replace('"tinh"', '"tinx"') } };
    });
    expect(corrupt.readsFrom[0]).toBe(0n);
    expect(corrupt.preview).toEqual(reference);
    const ahead = await previewed(async (previewer) => {
      const start = await previewer.start();
      return { saved: { ...start.saved!, position: 1_000_000n }, checkpoint: 1_000_000n };
    });
    expect(ahead.readsFrom[0]).toBe(0n);
    expect(ahead.preview).toEqual(reference);
  });
});
