import { INestApplication } from '@nestjs/common';
import { EventStore } from '@app/event-store';
import { ReadModelGenerations, RebuildQueue } from '@app/read-models';
import { authorized, createTestApp } from '../support/test-app';
import { Freshness } from '../../apps/api/src/read-models/freshness';
import { BAC_KAN_PROGRAM, initiativeBody, unitBody } from '../support/bac-kan';

export interface QueryApiTarget {
  openEvents: () => Promise<EventStore>;
  openReadModels: () => Promise<ReadModelGenerations & RebuildQueue>;
  /** How long a read-your-writes query may wait for the projector (FerretDB writes slowly). */
  maxWaitMs?: number;
}

/**
 * The query API end to end: commands go in over HTTP, the embedded projector follows the log, and
 * the read routes answer with the contract's fields, read-your-writes, paging and validation.
 */
export function describeQueryApi(name: string, target: QueryApiTarget): void {
  describe(`query API end to end on ${name}`, () => {
    let app: INestApplication;
    let run: string;
    const http = () => authorized(app);
    const id = (label: string) => `${label}-${run}`;
    let last = '0';
    const post = async (path: string, body: unknown, status = 201) => {
      const response = await http().post(path).send(body as object);
      expect(response.status).toBe(status);
      last = response.body.position;
      return response;
    };
    const get = (path: string) => http().get(path).query({ minPosition: last });

    beforeAll(async () => {
      run = Math.random().toString(36).slice(2, 8);
      app = await createTestApp({
        eventStore: { instance: await target.openEvents() },
        readModels: { readModel: { generations: await target.openReadModels() }, projector: { embedded: true } },
      });
      app.get(Freshness).maxWaitMs = target.maxWaitMs ?? 5_000;
      await post('/programs', { ...BAC_KAN_PROGRAM, id: id('bk') });
      await post('/units', unitBody(id('prov'), 'province', null, 0));
      // Twelve units of 1,000 members: the default phase-1 quota of the province is 5 % of 12,000 = 600.
      for (let u = 0; u < 12; u++) await post('/units', unitBody(id(`u${u}`), u < 2 ? 'sector' : 'district', id('prov'), 1000));
      for (let u = 0; u < 12; u++) await post(`/programs/${id('bk')}/quotas`, { unitId: id(`u${u}`), phaseId: 'p1', quota: 50, documentRef: '1144/LĐLĐ-CTCS' });
    });
    afterAll(async () => {
      await app?.close();
    });

    it('reproduces the article: 1,539 approved in phase 1 → 256.5 % of 600, 939 over, over 10 billion VND', async () => {
      const submissions: Promise<unknown>[] = [];
      for (let i = 0; i < 1539; i++) {
        const day = String(1 + (i % 28)).padStart(2, '0');
        const body = initiativeBody(id(`sk${i}`), id(`u${i % 12}`), {
          programId: id('bk'),
          submittedAt: `2022-0${2 + (i % 4)}-${day}T03:00:00+07:00`,
          benefitValue: '6500000',
          title: i === 7 ? 'Sáng kiến số hóa hồ sơ đoàn viên' : `Cải tiến ${i}`,
        });
        submissions.push(
          http()
            .post('/initiatives')
            .send(body)
            .expect(201)
            .then(() => http().post(`/initiatives/${body.id}/approve`).send({ decisionRef: `QĐ ${i}/HĐSK`, approvedAt: '2022-06-15T03:00:00Z' }).expect(200))
            .then((r) => {
              if (BigInt(r.body.position) > BigInt(last)) last = r.body.position;
            }),
        );
        if (submissions.length === 50) await Promise.all(submissions.splice(0));
      }
      await Promise.all(submissions);

      const response = await get(`/units/${id('prov')}/progress`).query({ programId: id('bk') }).expect(200);
      expect(response.body).toMatchObject({ programId: id('bk'), unitId: id('prov'), rulesVersion: 1, stale: false });
      expect(BigInt(response.body.position)).toBeGreaterThanOrEqual(BigInt(last));
      expect(response.body.items.map((r: { phaseId: string }) => r.phaseId)).toEqual(['p1', 'p2', 'p3', 'all']);
      const p1 = response.body.items[0];
      expect(p1).toMatchObject({
        programId: id('bk'),
        unitId: id('prov'),
        phaseId: 'p1',
        quota: 600,
        submitted: 1539,
        approved: 1539,
        pending: 0,
        rejected: 0,
        withdrawn: 0,
        counted: 1539,
        attainmentPercent: 256.5,
        excess: 939,
        benefitValue: '10003500000',
        reachedQuotaOn: expect.stringMatching(/^2022-0[2-5]-\d\d$/),
        own: { submitted: 0, approved: 0, counted: 0, benefitValue: '0' },
      });
    }, 600_000);

    it('lists the progress of a parent’s units, sorted and paged by cursor', async () => {
      const first = await get(`/programs/${id('bk')}/progress`).query({ phaseId: 'p1', parentId: id('prov'), sort: '-counted', limit: 5 }).expect(200);
      expect(first.body.items).toHaveLength(5);
      expect(first.body.items[0]).toMatchObject({ unitId: id('u0'), counted: 129, quota: 50, attainmentPercent: 258 });
      const all: string[] = first.body.items.map((r: { unitId: string }) => r.unitId);
      let cursor = first.body.nextCursor;
      while (cursor) {
        const page = await get(`/programs/${id('bk')}/progress`).query({ phaseId: 'p1', parentId: id('prov'), sort: '-counted', limit: 5, cursor }).expect(200);
        all.push(...page.body.items.map((r: { unitId: string }) => r.unitId));
        cursor = page.body.nextCursor;
      }
      expect(all).toHaveLength(12);
      expect(new Set(all).size).toBe(12);
    });

    it('ranks units by attainment with shared ranks, and lists those that finished early', async () => {
      // u0–u2 have 129 counted (258 %), the others 128 (256 %); u2 is the only district among the first.
      const rankings = await get(`/programs/${id('bk')}/rankings`).query({ phaseId: 'p1', kind: 'district', limit: 3 }).expect(200);
      expect(rankings.body.items.map((r: { unitId: string; rank: number }) => [r.unitId, r.rank])).toEqual([
        [id('u2'), 1],
        [id('u10'), 2],
        [id('u11'), 2],
      ]);
      const early = await get(`/programs/${id('bk')}/finished-early`).query({ phaseId: 'p1' }).expect(200);
      expect(early.body.items.length).toBe(13);
      expect(early.body.items.every((r: { reachedQuotaOn: string }) => r.reachedQuotaOn < '2022-05-31')).toBe(true);
    });

    it('lists initiatives of a subtree, by status and phase, and finds Vietnamese titles with or without diacritics', async () => {
      const bySubtree = await get('/initiatives').query({ programId: id('bk'), unitId: id('prov'), subtree: 'true', status: 'approved', phaseId: 'p1', limit: 3 }).expect(200);
      expect(bySubtree.body.items).toHaveLength(3);
      expect(bySubtree.body.nextCursor).toEqual(expect.any(String));
      const own = await get('/initiatives').query({ unitId: id('prov') }).expect(200);
      expect(own.body.items).toEqual([]);
      for (const q of ['số hóa hồ sơ', 'so hoa ho so', 'SO HOA']) {
        const found = await get('/initiatives').query({ programId: id('bk'), q }).expect(200);
        expect(found.body.items.map((d: { initiativeId: string }) => d.initiativeId)).toEqual([id('sk7')]);
      }
      const one = await get(`/initiatives/${id('sk7')}`).expect(200);
      expect(one.body).toMatchObject({ status: 'approved', recognisedValue: '6500000', phaseId: 'p1', unitPath: [id('prov'), id('u7')], position: expect.stringMatching(/^\d+$/) });
    });

    it('answers units and their children', async () => {
      const unit = await get(`/units/${id('u3')}`).expect(200);
      expect(unit.body).toMatchObject({ unitId: id('u3'), parentId: id('prov'), memberCount: 1000, quotas: { [id('bk')]: { p1: 50 } } });
      const children = await get(`/units/${id('prov')}/children`).query({ limit: 20 }).expect(200);
      expect(children.body.items).toHaveLength(12);
      expect(children.body.nextCursor).toBeNull();
    });

    it('reads its own writes through minPosition, and answers 503 with Retry-After when the read model cannot get there', async () => {
      const submitted = await post('/initiatives', initiativeBody(id('ryw'), id('u1'), { programId: id('bk') }));
      const read = await http().get(`/initiatives/${id('ryw')}`).set('X-Min-Position', submitted.body.position).expect(200);
      // One vocabulary with the progress rows: an undecided initiative is `pending`, and the list filters by that word.
      expect(read.body.status).toBe('pending');
      const pending = await http().get('/initiatives').query({ programId: id('bk'), unitId: id('u1'), status: 'pending', minPosition: submitted.body.position }).expect(200);
      expect(pending.body.items.map((i: { initiativeId: string }) => i.initiativeId)).toContain(id('ryw'));
      expect(pending.body.items.every((i: { status: string }) => i.status === 'pending')).toBe(true);
      app.get(Freshness).maxWaitMs = 300;
      const behind = await http().get(`/initiatives/${id('ryw')}`).query({ minPosition: (BigInt(submitted.body.position) + 1_000_000n).toString() });
      expect(behind.status).toBe(503);
      expect(behind.headers['retry-after']).toBe('1');
      expect(behind.body).toMatchObject({ code: 'READ_MODEL_BEHIND' });
      app.get(Freshness).maxWaitMs = target.maxWaitMs ?? 5_000;
    });

    it('refuses operator injection, unknown parameters, bad limits and foreign cursors with 400', async () => {
      for (const query of ['unitId[$ne]=x', 'unitId=a&unitId=b', 'limit=0', 'limit=100000', 'colour=red', 'cursor=abc', 'minPosition=-1', 'status=submitted']) {
        const response = await http().get(`/initiatives?${query}`);
        expect({ query, status: response.status, type: response.headers['content-type'] }).toEqual({ query, status: 400, type: expect.stringMatching(/problem\+json/) });
      }
      const injected = await http().get(`/programs/${id('bk')}/progress?phaseId[$gt]=`);
      expect(injected.status).toBe(400);
    });

    it('keeps the whole programme its own row: a phase cannot be named `all`', async () => {
      const program = (phases: { id: string; from: string; to: string }[]) => ({
        ...BAC_KAN_PROGRAM,
        id: id('halves'),
        phases: phases.map((p) => ({ ...p, name: `Giai đoạn ${p.id}`, targetPercent: 5 })),
      });
      const colliding = await http().post('/programs').send(program([{ id: 'all', from: '2022-01-01', to: '2022-06-30' }, { id: 'p2', from: '2022-07-01', to: '2022-12-31' }]));
      expect(colliding.status).toBe(422);
      expect(colliding.body).toMatchObject({ code: 'PHASE_ID_RESERVED', details: { phaseId: 'all' } });
      expect((await http().get(`/programs/${id('halves')}/progress`)).body.code).toBe('PROGRAM_NOT_FOUND');

      await post('/programs', program([{ id: 'p1', from: '2022-01-01', to: '2022-06-30' }, { id: 'p2', from: '2022-07-01', to: '2022-12-31' }]));
      await post('/units', unitBody(id('halves-unit'), 'province', null, 1000));
      await post('/initiatives', initiativeBody(id('august'), id('halves-unit'), { programId: id('halves'), submittedAt: '2022-08-10T03:00:00+07:00' }));
      const amended = await http().post(`/programs/${id('halves')}/phases/all/amend`).send({ from: '2022-01-01', to: '2022-06-30', targetPercent: 6, documentRef: 'QĐ 1' });
      expect(amended.status).toBe(422);
      expect(amended.body.code).toBe('PHASE_ID_RESERVED');

      const rows = (await get(`/units/${id('halves-unit')}/progress`).query({ programId: id('halves') }).expect(200)).body.items;
      expect(rows.map((r: { phaseId: string; quota: number; submitted: number }) => [r.phaseId, r.quota, r.submitted])).toEqual([
        ['p1', 50, 0],
        ['p2', 50, 1],
        ['all', 150, 1],
      ]);
    });

    it('answers 404 for unknown programmes, phases, units and initiatives', async () => {
      expect((await get(`/programs/${id('nope')}/progress`)).body.code).toBe('PROGRAM_NOT_FOUND');
      expect((await get(`/programs/${id('bk')}/progress`).query({ phaseId: 'p9' })).body.code).toBe('PHASE_NOT_FOUND');
      expect((await get(`/units/${id('nope')}`)).status).toBe(404);
      expect((await get(`/units/${id('nope')}/progress`).query({ programId: id('bk') })).status).toBe(404);
      expect((await get(`/initiatives/${id('nope')}`)).body.code).toBe('INITIATIVE_NOT_FOUND');
    });
  });
}
