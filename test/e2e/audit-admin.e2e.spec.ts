import { INestApplication } from '@nestjs/common';
import { SqliteEventStore } from '@app/event-store';
import { READ_MODEL_STORE, ProgressRow, SwitchingReadModelStore } from '@app/read-models';
import { authorized, createTestApp } from '../support/test-app';
import { BAC_KAN_PROGRAM, initiativeBody, unitBody } from '../support/bac-kan';
import { ProgrammeLog } from '../../libs/read-models/test/programme-log';

jest.setTimeout(120_000);

const FILLER = 15_000;

type Row = Pick<ProgressRow, 'phaseId' | 'counted' | 'approved' | 'quota' | 'benefitValue'>;
const figures = (rows: ProgressRow[]): Row[] => rows.map(({ phaseId, counted, approved, quota, benefitValue }) => ({ phaseId, counted, approved, quota, benefitValue }));

/**
 * Auditors and admins on the embedded default: histories, "as of" and "on" reports, rule changes
 * and rebuilds without downtime, verification — all recomputed from the event store.
 */
describe('auditors and admins, end to end (SQLite + in-memory read models)', () => {
  let app: INestApplication;
  let events: SqliteEventStore;
  let last = '0';
  const http = () => authorized(app);
  const post = async (path: string, body: unknown, status = 201) => {
    const response = await http().post(path).send(body as object);
    expect({ path, status: response.status, body: response.status === status ? undefined : response.body }).toEqual({ path, status, body: undefined });
    last = response.body.position ?? last;
    return response;
  };
  const get = (path: string) => http().get(path).query({ minPosition: last });
  const unitRows = async (unitId: string, extra: Record<string, string> = {}) =>
    (await get(`/units/${unitId}/progress`).query({ programId: 'bk-2022', ...extra }).expect(200)).body as { items: ProgressRow[]; stale: boolean; rulesVersion: number; position: string };

  let endOfPhase1: { position: string; instant: string; rows: Row[] };

  beforeAll(async () => {
    // In memory: the same SQLite store without fsyncs, so that a large history is quick to write.
    events = new SqliteEventStore(':memory:');
    app = await createTestApp({ eventStore: { instance: events }, readModels: { readModel: { kind: 'sqlite', path: ':memory:' }, projector: { embedded: true } } });

    await post('/programs', BAC_KAN_PROGRAM);
    await post('/units', unitBody('prov', 'province', null, 100));
    await post('/units', unitBody('na-ri', 'district', 'prov', 1000));
    await post('/units', unitBody('gd', 'sector', 'prov', 900));
    await post('/programs/bk-2022/quotas', { unitId: 'na-ri', phaseId: 'p1', quota: 4, documentRef: '1144/LĐLĐ-CTCS' });
    // Phase 1: five initiatives in May; three approved in May, one rejected, one still pending.
    for (let i = 1; i <= 5; i++) await post('/initiatives', initiativeBody(`sk${i}`, i <= 3 ? 'na-ri' : 'gd', { submittedAt: `2022-05-0${i}T03:00:00+07:00`, benefitValue: 1_000_000 * i }));
    for (const id of ['sk1', 'sk2', 'sk4']) await post(`/initiatives/${id}/approve`, { approvedAt: '2022-05-20T09:00:00+07:00', decisionRef: 'QĐ 12/HĐSK' }, 200);
    await post('/initiatives/sk3/reject', { reason: 'Không mới' }, 200);
    endOfPhase1 = { position: last, instant: new Date().toISOString(), rows: figures((await unitRows('prov')).items) };
    await new Promise((resolve) => setTimeout(resolve, 5));

    // Later: sk5 approved in June (retroactively counts in phase 1), sk1's approval revoked, a phase-2 initiative, a new quota.
    await post('/initiatives/sk5/approve', { approvedAt: '2022-06-10T09:00:00+07:00', benefitValue: '7000000', decisionRef: 'QĐ 20/HĐSK' }, 200);
    await post('/initiatives/sk1/revoke-approval', { reason: 'Trùng sáng kiến đã bảo hộ', documentRef: 'QĐ 21' }, 200);
    await post('/initiatives', initiativeBody('sk6', 'na-ri', { submittedAt: '2022-07-01T03:00:00+07:00', benefitValue: 500_000 }));
    await post('/initiatives/sk6/approve', { approvedAt: '2022-07-05T09:00:00+07:00', decisionRef: 'QĐ 22/HĐSK' }, 200);
    await post('/programs/bk-2022/quotas', { unitId: 'na-ri', phaseId: 'p1', quota: 6, documentRef: 'CV 200/LĐLĐ' });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('the figures did move after phase 1 (so the next tests prove something)', async () => {
    const now = figures((await unitRows('prov')).items);
    expect(now).not.toEqual(endOfPhase1.rows);
    expect(endOfPhase1.rows[0]).toMatchObject({ phaseId: 'p1', counted: 3, approved: 3, benefitValue: '7000000' });
  });

  it('reproduces the end of phase 1 as recorded then: asOf a position, and asOf an instant', async () => {
    const byPosition = await unitRows('prov', { asOf: endOfPhase1.position });
    expect(figures(byPosition.items)).toEqual(endOfPhase1.rows);
    expect(byPosition).toMatchObject({ then: { asOf: endOfPhase1.position, rules: 'then' }, rulesVersion: 1 });
    const byInstant = await unitRows('prov', { asOf: endOfPhase1.instant });
    expect(figures(byInstant.items)).toEqual(endOfPhase1.rows);
  });

  it('reproduces phase 1 on 2022-05-31 by business dates, as known today', async () => {
    const on = await unitRows('prov', { on: '2022-05-31' });
    // sk5's approval is dated 10 June and sk1's revocation today: neither counts on 31 May.
    expect(figures(on.items).find((r) => r.phaseId === 'p1')).toMatchObject({ counted: 3, approved: 3, benefitValue: '7000000' });
    const later = await unitRows('prov', { on: '2022-06-30' });
    expect(figures(later.items).find((r) => r.phaseId === 'p1')).toMatchObject({ counted: 4, approved: 4 });
  });

  it('lists a unit’s history with running totals whose last ones equal the live progress row', async () => {
    const history = await get('/units/na-ri/history').query({ programId: 'bk-2022', phaseId: 'p1' }).expect(200);
    const items = history.body.items as { type: string; change: Record<string, unknown>; totals: Record<string, unknown>; actor: string; documentRef: string | null; effectiveDate: string; position: string }[];
    expect(items.map((i) => [i.type, i.change])).toEqual([
      ['QuotaAssigned', { quota: { from: 50, to: 4 } }],
      ['InitiativeApproved', { counted: 1, benefitValue: '+1000000' }],
      ['InitiativeApproved', { counted: 1, benefitValue: '+2000000' }],
      ['InitiativeApprovalRevoked', { counted: -1, benefitValue: '-1000000' }],
      ['QuotaAssigned', { quota: { from: 4, to: 6 } }],
    ]);
    expect(items[0]).toMatchObject({ documentRef: '1144/LĐLĐ-CTCS', actor: 'test-admin', actorName: 'test-admin', credential: { kind: 'api-key', id: expect.any(String) } });
    expect(items[1]).toMatchObject({ effectiveDate: '2022-05-20', documentRef: 'QĐ 12/HĐSK' });
    const live = (await unitRows('na-ri')).items.find((r) => r.phaseId === 'p1')!;
    expect(items[items.length - 1].totals).toEqual({ counted: live.counted, quota: live.quota, benefitValue: live.benefitValue });

    const subtree = await get('/units/prov/history').query({ programId: 'bk-2022', subtree: 'true', limit: 2 }).expect(200);
    let page = subtree.body;
    const all = [...page.items];
    while (page.nextCursor) {
      page = (await get('/units/prov/history').query({ programId: 'bk-2022', subtree: 'true', limit: 2, cursor: page.nextCursor }).expect(200)).body;
      all.push(...page.items);
    }
    const liveAll = (await unitRows('prov')).items.find((r) => r.phaseId === 'all')!;
    expect(all[all.length - 1].totals).toEqual({ counted: liveAll.counted, quota: liveAll.quota, benefitValue: liveAll.benefitValue });
    expect(new Set(all.map((e: { position: string }) => e.position)).size).toBe(all.length);
  });

  it('verifies a unit against a replay: consistent', async () => {
    const verified = await get('/units/prov/verify').query({ programId: 'bk-2022' }).expect(200);
    expect(verified.body).toMatchObject({ consistent: true, differences: [] });
  });

  it('changes the counting rule: stale until rebuilt, then recounted for the whole history while queries never fail nor mix', async () => {
    const before = await unitRows('prov');
    await post('/programs/bk-2022/counting-rule', { basis: 'approved', date: 'approvedAt', documentRef: 'CV 300/LĐLĐ' }, 200);
    const stale = await unitRows('prov');
    expect(stale).toMatchObject({ stale: true, rulesVersion: 1 });
    expect(figures(stale.items)).toEqual(figures(before.items));

    // Enough history that the rebuild takes a while: 30,000 more events in another unit.
    const filler = new ProgrammeLog('bk-2022').unit('filler', 'grassroots', 'gd', 10);
    for (let i = 0; i < FILLER; i++) filler.submit(`f${i}`, 'filler', '2022-08-01T03:00:00Z').approve(`f${i}`, 'filler', '2022-08-02T03:00:00Z', '1');
    await filler.appendTo(events);
    last = (await events.headPosition()).toString();
    // 60,000 events take the projector a while on a busy machine: wait for it (503 until then), up to a minute.
    const deadline = Date.now() + 60_000;
    while ((await get('/units/prov/progress').query({ programId: 'bk-2022' })).status === 503 && Date.now() < deadline);
    const settled = figures((await unitRows('prov')).items);

    const started = await http().post('/admin/projections/progress/rebuild').send({}).expect(202);
    expect(started.body).toMatchObject({ state: 'running', generation: 2 });
    // Each answer with the rebuild's state read just after it: an answer followed by 'running' was given before the switch.
    const answers: { figures: Row[]; rebuildState: string }[] = [];
    let status: { state: string; generation: number; rebuild: { state: string; eventsDone: number; eventsTotal: number; rate: number } };
    let seenRebuilding = 0;
    do {
      const response = await http().get('/units/prov/progress').query({ programId: 'bk-2022' });
      expect(response.status).toBe(200);
      status = (await http().get('/admin/projections').expect(200)).body.items[0];
      answers.push({ figures: figures(response.body.items), rebuildState: status.rebuild.state });
      if (status.state === 'rebuilding') {
        seenRebuilding += 1;
        expect(status.rebuild).toMatchObject({ state: expect.stringMatching(/running|switching/), eventsTotal: expect.any(Number), rate: expect.any(Number) });
      }
    } while (status.state === 'rebuilding');
    expect(seenRebuilding).toBeGreaterThan(0);
    expect(status).toMatchObject({ state: 'live', generation: 2, rebuild: { state: 'done' } });
    expect(status.rebuild.eventsDone).toBeGreaterThan(2 * FILLER);

    const after = await unitRows('prov');
    expect(after).toMatchObject({ stale: false, rulesVersion: 2 });
    const rebuilt = figures(after.items);
    // sk5 (submitted in May, approved in June) now counts in phase 2.
    expect(rebuilt.find((r) => r.phaseId === 'p1')).toMatchObject({ counted: 2 });
    // Phase 2 by approval date: sk5 (10 June), sk6 (5 July) and the filler approved on 2 August.
    expect(rebuilt.find((r) => r.phaseId === 'p2')).toMatchObject({ counted: FILLER + 2 });
    expect(rebuilt).not.toEqual(settled);
    for (const answer of answers) expect([JSON.stringify(settled), JSON.stringify(rebuilt)]).toContain(JSON.stringify(answer.figures));
    // The live generation kept answering, with the old figures, while the new one was being built.
    const beforeSwitch = answers.filter((a) => a.rebuildState === 'running');
    expect(beforeSwitch.length).toBeGreaterThan(0);
    for (const answer of beforeSwitch) expect(answer.figures).toEqual(settled);
  });

  it('moves phase 3’s end to 30/09/2023, which changes the reports after a rebuild', async () => {
    await post('/initiatives', initiativeBody('sk-late', 'na-ri', { appliedOn: '2023-08-01', submittedAt: '2023-09-15T03:00:00+07:00' }));
    await post('/initiatives/sk-late/approve', { approvedAt: '2023-09-20T03:00:00+07:00', decisionRef: 'QĐ 99' }, 200);
    const p3 = async () => (await unitRows('na-ri')).items.find((r) => r.phaseId === 'p3')!;
    expect((await p3()).counted).toBe(0);
    await post('/programs/bk-2022/phases/p3/amend', { from: '2023-01-01', to: '2023-09-30', targetPercent: 6, documentRef: 'CV 400/LĐLĐ' }, 200);
    await http().post('/admin/projections/progress/rebuild').send({}).expect(202);
    let status;
    do status = (await http().get('/admin/projections').expect(200)).body.items[0];
    while (status.state === 'rebuilding');
    expect((await p3()).counted).toBe(1);
    // What the report said before the amendment is still there for auditors: asOf with the rules then.
    const before = await unitRows('na-ri', { asOf: (BigInt(last) - 1n).toString() });
    expect(before.items.find((r) => r.phaseId === 'p3')!.counted).toBe(0);
  });

  it('verifies the whole system: zero differences after a rebuild, and a planted difference when the read model is tampered with', async () => {
    const run = async () => {
      const job = await http().post('/admin/verifications').send({}).expect(202);
      let state = job.body;
      while (state.state === 'running') state = (await http().get(`/admin/verifications/${job.body.id}`).expect(200)).body;
      return state;
    };
    // Admin routes take no parameters: anything sent is refused, not ignored.
    expect((await http().post('/admin/verifications').send({ deep: true })).body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [{ field: 'deep' }] });
    expect((await http().get('/admin/projections').query({ name: 'progress' })).status).toBe(400);
    expect((await http().post('/admin/projections/nope/rebuild').send({})).body).toMatchObject({ status: 404, code: 'PROJECTION_NOT_FOUND' });
    const clean = await run();
    expect(clean).toMatchObject({ state: 'done', result: { consistent: true, differences: [] } });
    expect(clean.result.checked).toBeGreaterThan(FILLER);

    const store = app.get<SwitchingReadModelStore>(READ_MODEL_STORE);
    const [row] = (await store.unitProgress('bk-2022', 'na-ri')).filter((r) => r.phaseId === 'p1');
    await store.current.write({ progress: [{ ...row, counted: row.counted + 1 }], units: [], initiatives: [], programs: [] }, await store.checkpoint());
    const tampered = await run();
    expect(tampered.result.consistent).toBe(false);
    expect(tampered.result.differences).toEqual([{ document: 'progress bk-2022/na-ri/p1', field: 'counted', readModel: row.counted + 1, replay: row.counted }]);
    const unit = await http().get('/units/na-ri/verify').query({ programId: 'bk-2022' }).expect(200);
    expect(unit.body).toMatchObject({ consistent: false, differences: [{ field: 'counted' }] });
  });
});
