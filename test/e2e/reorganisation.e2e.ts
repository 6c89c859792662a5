import { INestApplication } from '@nestjs/common';
import { EventStore } from '@app/event-store';
import { ReadModelGenerations, RebuildQueue } from '@app/read-models';
import { Freshness } from '../../apps/api/src/read-models/freshness';
import { ReorganisationRunner } from '../../apps/api/src/reorganisations/reorganisation-runner';
import { BAC_KAN_PROGRAM, initiativeBody, unitBody } from '../support/bac-kan';
import { FaultyStore } from '../support/faulty-store';
import { authorized, createTestApp } from '../support/test-app';

export interface ReorganisationTarget {
  /** Each call opens the same event store anew (the previous app closed its own). */
  openEvents: () => Promise<EventStore>;
  /** Each call: empty read models, so that a restarted app projects the whole log again. */
  openReadModels: () => Promise<ReadModelGenerations & RebuildQueue>;
  maxWaitMs?: number;
}

type Row = { phaseId: string; quota: number; quotaSource: string; counted: number; benefitValue: string };

/**
 * A reorganisation end to end, on a store pair: two provinces' worth of units with initiatives and
 * quotas, the plan a provincial office would send (a new sector, grassroots unions re-attached, a
 * district merged, another wound up, the provinces merged), refused whole when wrong, previewed,
 * applied, checked figure by figure, submitted again, and crashed half-way then resumed.
 */
export function describeReorganisation(name: string, target: ReorganisationTarget): void {
  describe(`a reorganisation as one decision, on ${name}`, () => {
    let app: INestApplication;
    let store: FaultyStore;
    const run = Math.random().toString(36).slice(2, 8);
    const program = `bk-${run}`;
    /** Each fixture ("u": carried out uninterrupted, "c": crashed mid-way, "s": one step at a time) is the same tree under its own ids. */
    const id = (fixture: string, label: string) => `${label}-${fixture}${run}`;
    const api = () => authorized(app);

    const start = async () => {
      store = new FaultyStore(await target.openEvents());
      app = await createTestApp({ eventStore: { instance: store }, readModels: { readModel: { generations: await target.openReadModels() }, projector: { embedded: true } } });
      app.get(Freshness).maxWaitMs = target.maxWaitMs ?? 5_000;
    };
    const head = async () => (await store.headPosition()).toString();
    const fresh = async () => ({ minPosition: await head() });

    const planCsv = (f: string) =>
      [
        'action,unit,to,name,kind,members',
        `register,${id(f, 'yte')},${id(f, 'bk')},Công đoàn ngành Y tế,sector,0`,
        `move,${id(f, 's1')},${id(f, 'bk')},,,`,
        `move,${id(f, 's2')},${id(f, 'yte')},,,`,
        `merge,${id(f, 'na-ri')},${id(f, 'bk')},,,`,
        `move,${id(f, 'cb-s')},${id(f, 'bk')},,,`,
        `wind-up,${id(f, 'ha-quang')},,,,`,
        `merge,${id(f, 'cb')},${id(f, 'bk')},,,`,
      ].join('\n');
    const decision = (f: string, extra: object = {}) => ({ documentRef: `759/QĐ-TLĐ ${f}${run}`, effectiveOn: '2025-07-01', csv: planCsv(f), ...extra });

    const buildFixture = async (f: string) => {
      for (const [label, kind, parent, members] of [
        ['bk', 'province', null, 200],
        ['na-ri', 'district', 'bk', 50],
        ['gd', 'sector', 'bk', 30],
        ['s1', 'grassroots', 'na-ri', 40],
        ['s2', 'grassroots', 'na-ri', 60],
        ['cb', 'province', null, 150],
        ['ha-quang', 'district', 'cb', 0],
        ['cb-s', 'grassroots', 'ha-quang', 80],
      ] as const) {
        await api().post('/units').send(unitBody(id(f, label), kind, parent && id(f, parent), members)).expect(201);
      }
      await api().post(`/programs/${program}/quotas`).send({ unitId: id(f, 'na-ri'), phaseId: 'p1', quota: 10, documentRef: '1144/LĐLĐ-CTCS' }).expect(201);
      await api().post(`/programs/${program}/quotas`).send({ unitId: id(f, 'bk'), phaseId: 'p1', quota: 100, documentRef: '1144/LĐLĐ-CTCS' }).expect(201);
      let n = 0;
      for (const [unit, approved, value] of [
        ['s1', true, 7_000_000],
        ['s1', false, 3_000_000],
        ['s2', true, 11_000_000],
        ['cb-s', true, 5_000_000],
        ['cb-s', true, 2_500_000],
        ['na-ri', true, 1_000_000],
      ] as const) {
        const initiative = id(f, `sk${(n += 1)}`);
        await api().post('/initiatives').send(initiativeBody(initiative, id(f, unit), { programId: program, benefitValue: value })).expect(201);
        if (approved) await api().post(`/initiatives/${initiative}/approve`).send({ decisionRef: `QĐ ${n}/HĐSK`, approvedAt: '2022-05-15T03:00:00Z' }).expect(200);
      }
    };

    const rows = async (unitId: string, query: Record<string, string> = {}): Promise<Row[]> => {
      const body = (await api().get(`/units/${unitId}/progress`).query({ programId: program, ...(await fresh()), ...query }).expect(200)).body;
      return body.items.map(({ phaseId, quota, quotaSource, counted, benefitValue }: Row) => ({ programId: program, phaseId, quota, quotaSource, counted, benefitValue }));
    };
    const finished = async (reorganisationId: string, states = ['done']) => {
      for (let i = 0; i < 600; i++) {
        const status = (await api().get(`/admin/reorganisations/${reorganisationId}`).expect(200)).body;
        if (states.includes(status.state)) return status;
        if (status.state === 'interrupted' && !states.includes('interrupted')) throw new Error(`interrupted: ${status.error}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error('the reorganisation did not finish');
    };
    /** The fixture's units end with the same events and the same figures as the uninterrupted run's. */
    const expectSameEndAsUninterrupted = async (f: string) => {
      const normalised = (value: unknown, fixture: string) => JSON.parse(JSON.stringify(value).replaceAll(`${fixture}${run}`, 'F'));
      for (const label of ['bk', 'na-ri', 'gd', 's1', 's2', 'cb', 'ha-quang', 'cb-s', 'yte']) {
        const events = async (fixture: string) => normalised((await store.readStream(`unit-${id(fixture, label)}`)).map((e) => ({ type: e.type, data: e.data })), fixture);
        expect({ label, events: await events(f) }).toEqual({ label, events: await events('u') });
        expect({ label, rows: normalised(await rows(id(f, label)), f) }).toEqual({ label, rows: normalised(await rows(id('u', label)), 'u') });
      }
    };
    const verified = async () => {
      const job = (await api().post('/admin/verifications').send({}).expect(202)).body;
      for (;;) {
        const state = (await api().get(`/admin/verifications/${job.id}`).expect(200)).body;
        if (state.state !== 'running') return state;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };

    beforeAll(async () => {
      await start();
      await api().post('/programs').send({ ...BAC_KAN_PROGRAM, id: program }).expect(201);
      await buildFixture('u');
      await buildFixture('c');
      await buildFixture('s');
      await buildFixture('p');
    });
    afterAll(async () => {
      await app?.close();
    });

    it('refuses a bad plan whole, listing every problem with its step, and writes nothing', async () => {
      const u = (label: string) => id('u', label);
      const steps = [
        { action: 'move', unitId: `ghost-${run}`, to: u('bk') },
        { action: 'move', unitId: u('bk'), to: u('na-ri') },
        { action: 'wind-up', unitId: u('na-ri') },
        { action: 'wind-up', unitId: u('ha-quang') },
        { action: 'move', unitId: u('s1'), to: u('gd') },
        { action: 'move', unitId: u('s1'), to: u('gd') },
        { action: 'move', unitId: u('gd'), to: u('s2') },
        { action: 'move', unitId: u('gd'), to: u('cb') },
        { action: 'register', unitId: u('new'), to: u('bk'), kind: 'district' },
      ];
      const before = await head();
      const response = await api().post('/admin/reorganisations').send({ documentRef: `bad-${run}`, effectiveOn: '2025-07-01', steps }).expect(422);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body.code).toBe('REORGANISATION_PLAN_INVALID');
      // How a step is written is checked first: the register without a name or members is named alone.
      expect(response.body.details.problems).toEqual([{ step: 9, unitId: u('new'), code: 'PLAN_STEP_MALFORMED', message: expect.stringContaining('name') }]);
      const refused = await api()
        .post('/admin/reorganisations')
        .send({ documentRef: `bad-${run}`, effectiveOn: '2025-07-01', steps: steps.slice(0, 8) })
        .expect(422);
      expect(refused.body.details.problems.map((p: { step: number; code: string }) => [p.step, p.code])).toEqual([
        [1, 'UNIT_NOT_FOUND'],
        [2, 'UNIT_TREE_CYCLE'],
        [3, 'UNIT_HAS_MEMBERS'],
        [4, 'UNIT_HAS_ACTIVE_CHILDREN'],
        [6, 'REORGANISATION_STEP_REPEATED'],
        [7, 'GRASSROOTS_HAS_NO_CHILDREN'],
        // Step 8, a sector moved under another province, is a valid shape.
      ]);
      expect(await head()).toBe(before);
      await api().get(`/admin/reorganisations/${'0'.repeat(8)}-0000-5000-8000-000000000000`).expect(404);
    });

    let preview: { changes: { unitId: string; fromParentId: string | null; toParentId: string | null; statusAfter: string }[]; units: { unitId: string; before: { figures: Row[]; members: number } | null; after: { figures: Row[]; members: number; parentId: string | null; status: string } }[] };
    let positionBefore: string;
    let rowsBefore: Record<string, Row[]>;
    let historyBefore: unknown[];

    it('previews the plan without writing: each moved unit with its old and new parent, each province and sector before and after', async () => {
      positionBefore = await head();
      rowsBefore = { bk: await rows(id('u', 'bk')), cb: await rows(id('u', 'cb')), gd: await rows(id('u', 'gd')) };
      historyBefore = (await api().get(`/units/${id('u', 's1')}/history`).query({ programId: program, ...(await fresh()) }).expect(200)).body.items;
      const response = await api().post('/admin/reorganisations').query({ dryRun: 'true' }).send(decision('u')).expect(200);
      expect(await head()).toBe(positionBefore);
      expect(response.body).toMatchObject({ state: 'preview', stepsTotal: 7, stepsDone: 0, alreadyDecided: false });
      preview = response.body.preview;
      const u = (label: string) => id('u', label);
      expect(preview.changes.map((c) => [c.unitId, c.fromParentId, c.toParentId, c.statusAfter])).toEqual(
        [
          [u('cb'), null, u('bk'), 'merged'],
          [u('cb-s'), u('ha-quang'), u('bk'), 'active'],
          [u('ha-quang'), u('cb'), u('cb'), 'closed'],
          [u('na-ri'), u('bk'), u('bk'), 'merged'],
          [u('s1'), u('na-ri'), u('bk'), 'active'],
          [u('s2'), u('na-ri'), u('yte'), 'active'],
          [u('yte'), null, u('bk'), 'active'],
        ].sort((a, b) => a[0]!.localeCompare(b[0]!)),
      );
      const shown = (label: string) => preview.units.find((x) => x.unitId === u(label))!;
      expect(preview.units.map((x) => x.unitId)).toEqual(expect.arrayContaining([u('bk'), u('cb'), u('gd'), u('yte')]));
      // The preview's "before" is today's read model, figure by figure.
      expect(shown('bk').before!.figures).toEqual(rowsBefore.bk);
      expect(shown('cb').before!.figures).toEqual(rowsBefore.cb);
      expect(shown('yte').before).toBeNull();
      // Members on the effective date, over the subtree.
      expect(shown('bk').before!.members).toBe(200 + 50 + 30 + 40 + 60);
      // After: bk's own, gd, s1, s2 (under the new sector) and cb-s; the merged district's and province's own members end with them.
      expect(shown('bk').after.members).toBe(200 + 30 + 40 + 60 + 80);
      const all = (figures: Row[]) => figures.find((r) => r.phaseId === 'all')!;
      // What moved into bk is what cb had: counted and benefit add up.
      expect(all(shown('bk').after.figures).counted).toBe(all(rowsBefore.bk).counted + all(rowsBefore.cb).counted);
      expect(BigInt(all(shown('bk').after.figures).benefitValue)).toBe(BigInt(all(rowsBefore.bk).benefitValue) + BigInt(all(rowsBefore.cb).benefitValue));
      // The quota assigned to bk stays; the merged district's assignment ends with it (its rows keep it, as history).
      expect(shown('bk').after.figures.find((r) => r.phaseId === 'p1')).toMatchObject({ quota: 100, quotaSource: 'assigned' });
    });

    let reorganisationId: string;

    it('applies the plan as a process: while it runs answers say so; then the real figures are exactly the preview, and the whole system verifies', async () => {
      const release = store.hold();
      const response = await api().post('/admin/reorganisations').send(decision('u')).expect(202);
      reorganisationId = response.body.id;
      expect(response.body).toMatchObject({ state: 'running', stepsTotal: 7, documentRef: `759/QĐ-TLĐ u${run}`, effectiveOn: '2025-07-01', alreadyDecided: false });
      const during = await api().get(`/admin/reorganisations/${reorganisationId}`).expect(200);
      expect(during.body).toMatchObject({ state: 'running', stepsDone: 0 });
      const answer = await api().get('/programs').expect(200);
      expect(decodeURI(answer.headers['reorganisation-in-progress'])).toBe(`${reorganisationId}; document="759/QĐ-TLĐ u${run}"; steps=0/7`);
      release();
      const done = await finished(reorganisationId);
      expect(done).toMatchObject({ state: 'done', stepsDone: 7, stepsTotal: 7, etaSeconds: 0, error: null, decidedBy: 'test-admin' });
      expect((await api().get('/programs').expect(200)).headers['reorganisation-in-progress']).toBeUndefined();

      for (const unit of preview.units) expect({ unit: unit.unitId, figures: await rows(unit.unitId) }).toEqual({ unit: unit.unitId, figures: unit.after.figures });
      for (const change of preview.changes) {
        const doc = (await api().get(`/units/${change.unitId}`).query(await fresh()).expect(200)).body;
        expect({ unit: change.unitId, parentId: doc.parentId, status: doc.status }).toEqual({ unit: change.unitId, parentId: change.toParentId, status: change.statusAfter });
      }
      const decided = await store.readStream(`reorganisation-${reorganisationId}`);
      expect(decided.map((e) => e.type)).toEqual(['ReorganisationDecided', 'ReorganisationCompleted']);
      const merged = await store.readStream(`unit-${id('u', 'cb')}`);
      expect(merged[merged.length - 1]).toMatchObject({ type: 'UnitMerged', data: { documentRef: `759/QĐ-TLĐ u${run}`, effectiveOn: '2025-07-01' } });
      expect(merged[merged.length - 1].metadata).toMatchObject({ actor: 'test-admin', correlationId: reorganisationId, idempotencyKey: `reorganisation:${reorganisationId}:step-7` });
      const verification = await verified();
      expect(verification).toMatchObject({ state: 'done', result: { consistent: true, differences: [] } });
    });

    it('keeps history: a moved grassroots union lists the same events with the same running totals; as of before the decision, the old tree and figures', async () => {
      const history = (await api().get(`/units/${id('u', 's1')}/history`).query({ programId: program, ...(await fresh()) }).expect(200)).body.items;
      expect(history.slice(0, historyBefore.length)).toEqual(historyBefore);
      expect(await rows(id('u', 'bk'), { asOf: positionBefore })).toEqual(rowsBefore.bk);
      expect(await rows(id('u', 'cb'), { asOf: positionBefore })).toEqual(rowsBefore.cb);
      const then = (await api().get(`/units/${id('u', 's1')}/progress`).query({ programId: program, asOf: positionBefore }).expect(200)).body.items;
      const now = (await api().get(`/units/${id('u', 's1')}/progress`).query({ programId: program, ...(await fresh()) }).expect(200)).body.items;
      expect([then[0].parentId, then[0].path]).toEqual([id('u', 'na-ri'), [id('u', 'bk'), id('u', 'na-ri'), id('u', 's1')]]);
      expect([now[0].parentId, now[0].path]).toEqual([id('u', 'bk'), [id('u', 'bk'), id('u', 's1')]]);
    });

    it('takes the same decision submitted again as a no-op, and refuses another plan under the same document', async () => {
      const before = await head();
      const again = await api().post('/admin/reorganisations').send(decision('u')).expect(200);
      expect(again.body).toMatchObject({ id: reorganisationId, state: 'done', alreadyDecided: true, stepsDone: 7 });
      expect(await head()).toBe(before);
      const other = await api().post('/admin/reorganisations').send(decision('u', { effectiveOn: '2025-08-01' })).expect(409);
      expect(other.body.code).toBe('REORGANISATION_ALREADY_DECIDED');
      expect(await head()).toBe(before);
    });

    it('resumes a plan crashed half-way on the next start, and ends identical to the uninterrupted run, no step applied twice', async () => {
      // Where steps are written in batches (SQLite), the crash hits the second batch: none of it lands.
      const batched = store.appendTogether !== undefined;
      if (batched) app.get(ReorganisationRunner).batchSize = 3;
      store.crashAfterUnitWrites(batched ? 1 : 3);
      const response = await api().post('/admin/reorganisations').send(decision('c')).expect(202);
      const crashed = await finished(response.body.id, ['interrupted']);
      expect(crashed.stepsDone).toBeLessThan(7);
      expect(crashed.error).toMatch(/injected crash/);
      if (batched) {
        expect(crashed.stepsDone).toBe(3);
        expect((await store.readStream(`unit-${id('c', 'na-ri')}`)).map((e) => e.type)).not.toContain('UnitMerged');
        expect((await store.readStream(`reorganisation-${response.body.id}`)).map((e) => [e.type, e.data.stepsDone])).toEqual([
          ['ReorganisationDecided', undefined],
          ['ReorganisationProgressed', 3],
        ]);
      }
      await app.close();
      await start();
      const resumed = await finished(response.body.id);
      expect(resumed).toMatchObject({ state: 'done', stepsDone: 7 });
      await expectSameEndAsUninterrupted('c');
      const verification = await verified();
      expect(verification).toMatchObject({ state: 'done', result: { consistent: true } });
    });

    it('gives, one step at a time, exactly what the first run gave (in one batch where the store has transactions)', async () => {
      app.get(ReorganisationRunner).batchSize = 1;
      const response = await api().post('/admin/reorganisations').send(decision('s')).expect(202);
      expect(await finished(response.body.id)).toMatchObject({ state: 'done', stepsDone: 7 });
      await expectSameEndAsUninterrupted('s');
    });

    it('records its progress as it goes without reading the decision again: the stream is read whole only while it is submitted', async () => {
      Object.assign(app.get(ReorganisationRunner), { batchSize: 2, checkpointEvery: 2 });
      const response = await api().post('/admin/reorganisations').send(decision('p')).expect(202);
      expect(await finished(response.body.id)).toMatchObject({ state: 'done', stepsDone: 7 });
      await expectSameEndAsUninterrupted('p');
      // Checked, decided, started. A national decision holds ~100,000 steps, ~5 MB to read and parse: it was read again at each progress.
      const decisionStream = `reorganisation-${response.body.id}`;
      expect(store.wholeReads.get(decisionStream)).toBe(3);
      const progress = (await store.readStream(decisionStream)).filter((e) => e.type === 'ReorganisationProgressed').map((e) => e.data.stepsDone);
      expect(progress).toEqual([2, 4, 6]);
    });
  });
}
