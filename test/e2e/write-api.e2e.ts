import { INestApplication } from '@nestjs/common';
import type { Response } from 'supertest';
import { randomUUID } from 'node:crypto';
import { EVENT_STORE, EventStore, StoredEvent } from '@app/event-store';
import { InterferingStore } from '../support/interfering-store';
import { authorized, createTestApp, issueKey } from '../support/test-app';
import { BAC_KAN_PROGRAM, initiativeBody, unitBody } from '../support/bac-kan';

/**
 * The command API end to end, over HTTP, on a given event store: the routes, their answers,
 * every error class, idempotent retries, and what ends up in the log.
 */
export function describeWriteApi(name: string, openStore: () => Promise<EventStore>): void {
  describe(`command API end to end on ${name}`, () => {
    let app: INestApplication;
    let store: InterferingStore;
    let run: string;
    const http = () => authorized(app);
    const id = (label: string) => `${label}-${run}`;
    const streamOf = async (streamId: string): Promise<StoredEvent[]> => store.readStream(streamId);

    beforeAll(async () => {
      store = new InterferingStore(await openStore());
      app = await createTestApp({ eventStore: { instance: store }, readModels: { readModel: { kind: 'sqlite', path: ':memory:' }, projector: { embedded: true } } });
    });
    afterAll(async () => {
      await app.close();
    });

    // Ids are unique per run so that the suite can share a long-lived server (a real EventStoreDB).
    beforeAll(async () => {
      run = Math.random().toString(36).slice(2, 8);
      await http().post('/programs').send({ ...BAC_KAN_PROGRAM, id: id('bk') }).expect(201);
      await http().post('/units').send(unitBody(id('prov'), 'province', null, 12_000)).expect(201);
      await http().post('/units').send(unitBody(id('na-ri'), 'district', id('prov'), 2_000)).expect(201);
      await http().post('/units').send(unitBody(id('school'), 'grassroots', id('na-ri'), 40)).expect(201);
    });
    const submit = (label: string, overrides: Record<string, unknown> = {}) =>
      http().post('/initiatives').send(initiativeBody(id(label), id('school'), { programId: id('bk'), ...overrides }));

    describe('happy path', () => {
      it('launches a programme and answers its id and the global position as a string of digits; the actor is the authenticated subject, not X-Actor', async () => {
        const response = await http()
          .post('/programs')
          .set('X-Actor', 'admin@bk')
          .set('X-Correlation-Id', `corr-${run}`)
          .set('X-Causation-Id', `msg-${run}`)
          .send({ ...BAC_KAN_PROGRAM, id: id('other') })
          .expect(201);
        expect(response.body).toEqual({ id: id('other'), position: expect.stringMatching(/^\d+$/) });
        const [launched] = await streamOf(`program-${id('other')}`);
        expect(launched.type).toBe('ProgramLaunched');
        expect(launched.metadata).toMatchObject({
          actor: 'test-admin',
          actorName: 'test-admin',
          credential: { kind: 'api-key', id: expect.stringMatching(/^[a-z0-9]{16}$/) },
          schemaVersion: 1,
          recordedAt: expect.any(String),
          correlationId: `corr-${run}`,
          causationId: `msg-${run}`,
          commandId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        });
        expect(launched.data).toMatchObject({ documentRef: '111/KH-LĐLĐ', countingRule: { basis: 'approved', date: 'submittedAt' } });
        expect(BigInt(response.body.position)).toBe(launched.position);
      });

      it('assigns quotas per phase and for the whole programme; the latest assignment wins', async () => {
        const quota = (phaseId: string | undefined, value: number) =>
          http()
            .post(`/programs/${id('bk')}/quotas`)
            .send({ unitId: id('na-ri'), ...(phaseId ? { phaseId } : {}), quota: value, documentRef: '1144/LĐLĐ-CTCS' });
        await quota('p1', 40).expect(201);
        const second = await quota('p1', 55).expect(201);
        await quota(undefined, 300).expect(201);
        expect(second.body.id).toBe(`${id('bk')}:${id('na-ri')}:p1`);
        const events = await streamOf(`quota-${id('bk')}:${id('na-ri')}`);
        expect(events.map((e) => [e.data.phaseId, e.data.quota, e.data.previousQuota, e.data.documentRef])).toEqual([
          ['p1', 40, null, '1144/LĐLĐ-CTCS'],
          ['p1', 55, 40, '1144/LĐLĐ-CTCS'],
          [null, 300, null, '1144/LĐLĐ-CTCS'],
        ]);
      });

      it('submits, approves and rejects initiatives; money comes back as digits, dates as Vietnam dates', async () => {
        const submitted = await submit('a', { benefitValue: '12000000000001' }).expect(201);
        expect(submitted.body.id).toBe(id('a'));
        await submit('b').expect(201);
        const approved = await http()
          .post(`/initiatives/${id('a')}/approve`)
          .send({ approvedAt: '2022-05-10T03:00:00+07:00', benefitValue: '9007199254740993', decisionRef: 'QĐ 15/HĐSK' })
          .expect(200);
        expect(BigInt(approved.body.position) > BigInt(submitted.body.position)).toBe(true);
        await http().post(`/initiatives/${id('b')}/reject`).send({ reason: 'Trùng với sáng kiến đã công nhận' }).expect(200);

        const [sub, app_] = await streamOf(`initiative-${id('a')}`);
        expect(sub.data).toMatchObject({ benefitValue: '12000000000001', submittedOn: '2022-04-20', unitId: id('school') });
        expect(app_.data).toMatchObject({ benefitValue: '9007199254740993', approvedAt: '2022-05-09T20:00:00.000Z', approvedOn: '2022-05-10' });
        const rejected = (await streamOf(`initiative-${id('b')}`))[1];
        expect(rejected.type).toBe('InitiativeRejected');
      });

      it('dates a submission at 2022-05-31T20:00Z on 2022-06-01 (Asia/Ho_Chi_Minh)', async () => {
        await submit('tz', { submittedAt: '2022-05-31T20:00:00Z' }).expect(201);
        const [event] = await streamOf(`initiative-${id('tz')}`);
        expect(event.data).toMatchObject({ submittedAt: '2022-05-31T20:00:00.000Z', submittedOn: '2022-06-01' });
      });

      it('generates an id when none is given, and defaults submittedAt to now', async () => {
        const body = initiativeBody('x', id('school'), { programId: id('bk') }) as Record<string, unknown>;
        delete body.id;
        delete body.submittedAt;
        const before = Date.now();
        const response = await http().post('/initiatives').send(body).expect(201);
        expect(response.body.id).toMatch(/^[0-9a-f-]{36}$/);
        const [event] = await streamOf(`initiative-${response.body.id}`);
        expect(Date.parse(event.data.submittedAt as string)).toBeGreaterThanOrEqual(before - 1000);
      });

      it('withdraws, revokes approvals, corrects and moves initiatives, recording the actor', async () => {
        await submit('w').expect(201);
        await http().post(`/initiatives/${id('w')}/withdraw`).send({}).expect(200);
        await submit('r').expect(201);
        await http().post(`/initiatives/${id('r')}/approve`).send({ decisionRef: 'QĐ 16/HĐSK' }).expect(200);
        const council = await issueKey(app, `council-${run}`, [{ role: 'council', unitId: id('prov') }]);
        await authorized(app, council).post(`/initiatives/${id('r')}/revoke-approval`).send({ reason: 'Đã được bảo hộ', documentRef: 'QĐ 20' }).expect(200);
        await http().post(`/initiatives/${id('r')}/correct`).send({ changes: { title: 'Tên đúng', benefitValue: 1 }, reason: 'nhập sai' }).expect(200);
        await http().post(`/initiatives/${id('r')}/move`).send({ unitId: id('na-ri') }).expect(200);
        const events = await streamOf(`initiative-${id('r')}`);
        expect(events.map((e) => e.type)).toEqual([
          'InitiativeSubmitted',
          'InitiativeApproved',
          'InitiativeApprovalRevoked',
          'InitiativeCorrected',
          'InitiativeMoved',
        ]);
        expect(events[2].metadata.actor).toBe(`council-${run}`);
        expect(events[1].metadata.actor).toBe('test-admin');
        expect(events[4].data).toMatchObject({ unitId: id('na-ri'), fromUnitId: id('school') });
      });

      it('records member counts and moves, merges and closes units', async () => {
        await http().post(`/units/${id('school')}/members`).send({ memberCount: 45, effectiveOn: '2022-06-01' }).expect(200);
        await http().post('/units').send(unitBody(id('sector'), 'sector', id('prov'), 500)).expect(201);
        await http().post('/units').send(unitBody(id('s2'), 'grassroots', id('na-ri'), 10)).expect(201);
        await http().post(`/units/${id('s2')}/move`).send({ parentId: id('sector'), documentRef: 'QĐ 3' }).expect(200);
        await http().post('/units').send(unitBody(id('s3'), 'grassroots', id('sector'), 10)).expect(201);
        await http().post(`/units/${id('s3')}/merge`).send({ intoUnitId: id('s2'), effectiveOn: '2023-01-01' }).expect(200);
        await http().post('/units').send(unitBody(id('s4'), 'grassroots', id('sector'), 10)).expect(201);
        await http().post(`/units/${id('s4')}/close`).send({ reason: 'giải thể' }).expect(200);
        const merged = await streamOf(`unit-${id('s3')}`);
        expect(merged[1]).toMatchObject({ type: 'UnitMerged', data: { intoUnitId: id('s2'), effectiveOn: '2023-01-01' } });
      });

      it('keeps the tree’s shape and refuses to close a unit that still has active subordinate units', async () => {
        const refused = async (path: string, body: object, code: string) => {
          const before = await store.headPosition();
          const response = await http().post(path).send(body);
          expect([response.status, response.body.code]).toEqual([422, code]);
          expect(await store.headPosition()).toBe(before);
          return response;
        };
        await refused('/units', unitBody(id('root-district'), 'district', null, 10), 'UNIT_TREE_SHAPE');
        await refused('/units', unitBody(id('prov-under-district'), 'province', id('na-ri'), 10), 'UNIT_TREE_SHAPE');
        await refused(`/units/${id('na-ri')}/move`, { parentId: id('sector') }, 'UNIT_TREE_SHAPE');
        await http().post('/units').send(unitBody(id('d2'), 'district', id('prov'), 10)).expect(201);
        await http().post('/units').send(unitBody(id('d2-school'), 'grassroots', id('d2'), 10)).expect(201);
        const response = await refused(`/units/${id('d2')}/close`, {}, 'UNIT_HAS_ACTIVE_CHILDREN');
        expect(response.body.details).toEqual({ activeChildIds: [id('d2-school')] });
        // Once its last child has gone elsewhere, it closes.
        await http().post(`/units/${id('d2-school')}/move`).send({ parentId: id('na-ri') }).expect(200);
        await http().post(`/units/${id('d2')}/close`).send({}).expect(200);
      });
    });

    describe('bad input gets a clear error and changes nothing', () => {
      const expectProblem = (response: Response, status: number, code: string) => {
        expect(response.status).toBe(status);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(response.body).toMatchObject({ status, code, title: expect.any(String), detail: expect.any(String), type: expect.any(String) });
      };
      const headAfter = async <T>(act: () => Promise<T>): Promise<T> => {
        const before = await store.headPosition();
        const result = await act();
        expect(await store.headPosition()).toBe(before);
        return result;
      };

      it('400 MALFORMED_JSON for a body that is not JSON', async () => {
        const response = await headAfter(() => http().post('/units').set('content-type', 'application/json').send('{"id": "x",'));
        expectProblem(response, 400, 'MALFORMED_JSON');
      });

      it('415 for a body that is not declared as JSON', async () => {
        const response = await headAfter(() => http().post('/units').set('content-type', 'text/plain').send('id=x'));
        expectProblem(response, 415, 'UNSUPPORTED_MEDIA_TYPE');
      });

      it('400 VALIDATION_FAILED listing every offending field, unknown fields included', async () => {
        const response = await headAfter(() =>
          http()
            .post('/initiatives')
            .send({ ...initiativeBody('bad', id('school')), benefitValue: -5, appliedOn: '2022-02-30', submittedAt: '2022-04-20 10:00', authors: [], category: 'idea', colour: 'red' }),
        );
        expectProblem(response, 400, 'VALIDATION_FAILED');
        const fields = (response.body.errors as { field: string }[]).map((e) => e.field).sort();
        expect([...new Set(fields)]).toEqual(['appliedOn', 'authors', 'benefitValue', 'category', 'colour', 'submittedAt']);
      });

      it('400 for nested errors, named by their path', async () => {
        const response = await headAfter(() =>
          http()
            .post('/programs')
            .send({ ...BAC_KAN_PROGRAM, id: id('nested'), phases: [{ ...BAC_KAN_PROGRAM.phases[0], targetPercent: 0, extra: true }] }),
        );
        expectProblem(response, 400, 'VALIDATION_FAILED');
        expect((response.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual(['phases[0].extra', 'phases[0].targetPercent']);
      });

      it('400 for a malformed id in the path, and for a JSON body that is not an object', async () => {
        expectProblem(await http().post('/initiatives/bad%20id/approve').send({ decisionRef: 'x' }), 400, 'VALIDATION_FAILED');
        expectProblem(await http().post('/units').send([1, 2]), 400, 'VALIDATION_FAILED');
      });

      it('404 for unknown ids, in the path or in the body', async () => {
        expectProblem(await headAfter(() => http().post(`/initiatives/${id('nope')}/approve`).send({ decisionRef: 'x' })), 404, 'INITIATIVE_NOT_FOUND');
        expectProblem(await headAfter(() => submit('ghost-unit', { unitId: id('ghost') })), 404, 'UNIT_NOT_FOUND');
        expectProblem(await headAfter(() => submit('ghost-prog', { programId: id('ghost') })), 404, 'PROGRAM_NOT_FOUND');
        expectProblem(
          await headAfter(() => http().post(`/programs/${id('bk')}/quotas`).send({ unitId: id('na-ri'), phaseId: 'p9', quota: 1, documentRef: 'x' })),
          404,
          'PHASE_NOT_FOUND',
        );
        expectProblem(await http().post('/nowhere').send({}), 404, 'ROUTE_NOT_FOUND');
      });

      it('422 with a machine-readable code when a domain rule is broken', async () => {
        const outside = await headAfter(() => submit('old', { appliedOn: '2021-08-31' }));
        expectProblem(outside, 422, 'APPLIED_OUTSIDE_ELIGIBILITY_WINDOW');
        expect(outside.body.details).toMatchObject({ appliedOn: '2021-08-31' });
        await submit('twice').expect(201);
        await http().post(`/initiatives/${id('twice')}/reject`).send({ reason: 'x' }).expect(200);
        expectProblem(await headAfter(() => http().post(`/initiatives/${id('twice')}/approve`).send({ decisionRef: 'x' })), 422, 'INITIATIVE_STATUS_FORBIDS');
        expectProblem(
          await headAfter(() => http().post('/programs').send({ ...BAC_KAN_PROGRAM, id: id('overlap'), phases: [BAC_KAN_PROGRAM.phases[0], { ...BAC_KAN_PROGRAM.phases[1], from: '2022-05-31' }] })),
          422,
          'PHASES_OVERLAP',
        );
      });

      it('409 CONCURRENT_MODIFICATION when another writer changed the aggregate in between, and nothing of the loser is written', async () => {
        await submit('lost').expect(201);
        const stream = `initiative-${id('lost')}`;
        store.interfereAfterRead(stream, async () => {
          const [submitted] = await store.readStream(stream);
          await store.append(
            stream,
            [{ id: randomUUID(), type: 'InitiativeRejected', data: { ...submitted.data, rejectedAt: '2022-05-01T00:00:00.000Z', rejectedOn: '2022-05-01', reason: 'other clerk' }, metadata: submitted.metadata }],
            0n,
          );
        });
        const response = await http().post(`/initiatives/${id('lost')}/approve`).send({ decisionRef: 'QĐ 5' });
        expectProblem(response, 409, 'CONCURRENT_MODIFICATION');
        expect((await streamOf(stream)).map((e) => e.type)).toEqual(['InitiativeSubmitted', 'InitiativeRejected']);
      });

      it('409 when a move was decided on a view of the tree that a concurrent merge changed: the tree’s guard refuses the second', async () => {
        // With the tree's shape rules two moves cannot close a cycle; what a move still reads of other units is their state and place.
        await http().post('/units').send(unitBody(id('left'), 'district', id('prov'), 10)).expect(201);
        await http().post('/units').send(unitBody(id('right'), 'district', id('prov'), 10)).expect(201);
        await http().post('/units').send(unitBody(id('pupil'), 'grassroots', id('left'), 10)).expect(201);
        // The move has read right (active) when right's merge into left runs to its end.
        let other: Response | undefined;
        store.interfereAfterRead(`unit-${id('right')}`, async () => {
          other = await http().post(`/units/${id('right')}/merge`).send({ intoUnitId: id('left') });
        });
        const response = await http().post(`/units/${id('pupil')}/move`).send({ parentId: id('right') });
        expect(other?.status).toBe(200);
        expectProblem(response, 409, 'CONCURRENT_MODIFICATION');
        expect(response.body.details).toEqual({ stream: 'tree-units' });
        expect((await streamOf(`unit-${id('pupil')}`)).map((e) => e.type)).toEqual(['UnitRegistered']);
        // Asked again, on a fresh view of the tree, the move is what it is: under a merged unit.
        expectProblem(await http().post(`/units/${id('pupil')}/move`).send({ parentId: id('right') }), 422, 'UNIT_NOT_ACTIVE');
      });

      it('never writes a submission into a unit closed while it was being decided: two submissions racing the closure', async () => {
        await http().post('/units').send(unitBody(id('closing'), 'grassroots', id('na-ri'), 10)).expect(201);
        const unitStream = `unit-${id('closing')}`;
        const submitInto = (label: string) => http().post('/initiatives').send(initiativeBody(id(label), id('closing'), { programId: id('bk') }));
        // Both submissions have read the unit (active) when its closure runs to its end; then they go on.
        let closed: Response | undefined;
        let bothRead!: () => void;
        const barrier = new Promise<void>((resolve) => (bothRead = resolve));
        store.interfereAfterRead(unitStream, async () => {
          store.interfereAfterRead(unitStream, async () => {
            closed = await http().post(`/units/${id('closing')}/close`).send({ reason: 'giải thể' });
            bothRead();
          });
          await barrier;
        });
        const answers = await Promise.all([submitInto('race-a'), submitInto('race-b')]);
        expect(closed?.status).toBe(200);
        // Made again on a fresh view of the unit, each is refused as any submission into a closed unit is.
        for (const answer of answers) expectProblem(answer, 422, 'UNIT_NOT_ACTIVE');
        expect(await streamOf(`initiative-${id('race-a')}`)).toEqual([]);
        expect(await streamOf(`initiative-${id('race-b')}`)).toEqual([]);
      });

      it('orders submissions that land while a closure is decided before it, and refuses the closure if a subordinate unit was registered meanwhile', async () => {
        await http().post('/units').send(unitBody(id('busy'), 'district', id('prov'), 10)).expect(201);
        await http().post('/units').send(unitBody(id('busy-school'), 'grassroots', id('busy'), 10)).expect(201);
        const unitStream = (label: string) => `unit-${id(label)}`;
        // The closure of the school has read it when two submissions into it run to their end.
        const landed: Response[] = [];
        store.interfereAfterRead(unitStream('busy-school'), async () => {
          landed.push(...(await Promise.all(['early-a', 'early-b'].map((label) => http().post('/initiatives').send(initiativeBody(id(label), id('busy-school'), { programId: id('bk') }))))));
        });
        await http().post(`/units/${id('busy-school')}/close`).send({ reason: 'sáp nhập' }).expect(200);
        expect(landed.map((answer) => answer.status)).toEqual([201, 201]);
        const [closure] = (await streamOf(unitStream('busy-school'))).filter((e) => e.type === 'UnitClosed');
        for (const label of ['early-a', 'early-b']) expect((await streamOf(`initiative-${id(label)}`))[0].position).toBeLessThan(closure.position);

        // The district's closure has found no active child left and is about to claim its events on
        // the district's guard (its second read of the guard) when a new school is registered under it.
        const guard = `guard-unit-${id('busy')}`;
        store.interfereAfterRead(guard, async () => {
          store.interfereAfterRead(guard, async () => {
            await http().post('/units').send(unitBody(id('late-school'), 'grassroots', id('busy'), 10)).expect(201);
          });
        });
        const refused = await http().post(`/units/${id('busy')}/close`).send({});
        expectProblem(refused, 422, 'UNIT_HAS_ACTIVE_CHILDREN');
        expect(refused.body.details).toEqual({ activeChildIds: [id('late-school')] });
        expect((await streamOf(unitStream('busy'))).map((e) => e.type)).toEqual(['UnitRegistered']);
      });

      it('writes a submission whose writer died between claiming it on the unit and writing it before the unit’s closure, never after', async () => {
        await http().post('/units').send(unitBody(id('orphaned'), 'grassroots', id('na-ri'), 10)).expect(201);
        await http().post('/initiatives').send(initiativeBody(id('model'), id('orphaned'), { programId: id('bk') })).expect(201);
        // The submission as the service claims it: the decided event in clear (the service's own store seals its authors).
        const [model] = await app.get<EventStore>(EVENT_STORE).readStream(`initiative-${id('model')}`);
        const { hash: _hash, ...metadata } = model!.metadata;
        const submitted = { id: randomUUID(), type: model!.type, data: { ...model!.data, initiativeId: id('dead-writer') }, metadata };
        const guard = `guard-unit-${id('orphaned')}`;
        const [lastClaim] = await store.readStream(guard, { direction: 'backwards', maxCount: 1 });
        await store.append(guard, [{ id: randomUUID(), type: 'GuardClaimed', data: { stream: `initiative-${id('dead-writer')}`, expected: null, events: [submitted] }, metadata }], lastClaim!.revision);
        await http().post(`/units/${id('orphaned')}/close`).send({}).expect(200);
        const [landed] = await streamOf(`initiative-${id('dead-writer')}`);
        const [closed] = (await streamOf(`unit-${id('orphaned')}`)).filter((e) => e.type === 'UnitClosed');
        expect(landed).toMatchObject({ type: 'InitiativeSubmitted', data: { initiativeId: id('dead-writer'), unitId: id('orphaned') } });
        expect(landed!.position).toBeLessThan(closed!.position);
      });

      it('completes a move whose writer died between claiming it on the tree and writing it, before deciding the next one', async () => {
        await http().post('/units').send(unitBody(id('orphan'), 'grassroots', id('prov'), 10)).expect(201);
        const [registered] = await streamOf(`unit-${id('orphan')}`);
        const moved = {
          id: randomUUID(),
          type: 'UnitMoved',
          data: { unitId: id('orphan'), fromParentId: id('prov'), toParentId: id('na-ri'), effectiveOn: '2022-03-01', documentRef: null },
          metadata: registered.metadata,
        };
        const [lastClaim] = await store.readStream('tree-units', { direction: 'backwards', maxCount: 1 });
        await store.append(
          'tree-units',
          [{ id: randomUUID(), type: 'GuardClaimed', data: { stream: `unit-${id('orphan')}`, expected: registered.revision.toString(), events: [moved] }, metadata: registered.metadata }],
          lastClaim ? lastClaim.revision : 'no_stream',
        );
        await http().post(`/units/${id('school')}/move`).send({ parentId: id('prov') }).expect(200);
        expect((await streamOf(`unit-${id('orphan')}`)).map((e) => [e.type, e.data.toParentId])).toEqual([
          ['UnitRegistered', undefined],
          ['UnitMoved', id('na-ri')],
        ]);
        await http().post(`/units/${id('school')}/move`).send({ parentId: id('na-ri') }).expect(200);
      });

      it('409 when the same aggregate is created twice', async () => {
        expectProblem(await headAfter(() => http().post('/units').send(unitBody(id('prov'), 'province', null, 1))), 409, 'UNIT_ALREADY_EXISTS');
      });
    });

    describe('idempotent commands', () => {
      it('answers a retry with the same key and body like the first time and writes nothing more', async () => {
        const key = `key-${run}-1`;
        const body = initiativeBody(id('idem'), id('school'), { programId: id('bk') });
        const first = await http().post('/initiatives').set('Idempotency-Key', key).send(body).expect(201);
        const head = await store.headPosition();
        const retry = await http().post('/initiatives').set('Idempotency-Key', key).send({ ...body, authors: [...body.authors] }).expect(201);
        expect(retry.body).toEqual({ ...first.body, replayed: true });
        expect(await store.headPosition()).toBe(head);
        expect(await streamOf(`initiative-${id('idem')}`)).toHaveLength(1);
      });

      it('gives a generated id once: a retried submission without id lands on the same initiative', async () => {
        const key = `key-${run}-2`;
        const body = initiativeBody('', id('school'), { programId: id('bk') }) as Record<string, unknown>;
        delete body.id;
        const first = await http().post('/initiatives').set('Idempotency-Key', key).send(body).expect(201);
        const retry = await http().post('/initiatives').set('Idempotency-Key', key).send(body).expect(201);
        expect(retry.body.id).toBe(first.body.id);
        expect(await streamOf(`initiative-${first.body.id}`)).toHaveLength(1);
      });

      it('refuses the same key with another body, on the same or another aggregate, with 422', async () => {
        const key = `key-${run}-3`;
        await submit('k1').expect(201);
        await submit('k2').expect(201);
        await http().post(`/initiatives/${id('k1')}/approve`).set('Idempotency-Key', key).send({ decisionRef: 'QĐ 1' }).expect(200);
        const head = await store.headPosition();
        const sameTarget = await http().post(`/initiatives/${id('k1')}/approve`).set('Idempotency-Key', key).send({ decisionRef: 'QĐ 2' });
        expect(sameTarget.status).toBe(422);
        expect(sameTarget.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
        const otherTarget = await http().post(`/initiatives/${id('k2')}/approve`).set('Idempotency-Key', key).send({ decisionRef: 'QĐ 1' });
        expect(otherTarget.status).toBe(422);
        expect(otherTarget.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
        expect(await store.headPosition()).toBe(head);
      });

      it('writes the events of two identical concurrent requests once', async () => {
        const key = `key-${run}-4`;
        await submit('race').expect(201);
        const approve = () => http().post(`/initiatives/${id('race')}/approve`).set('Idempotency-Key', key).send({ decisionRef: 'QĐ 9' });
        const [a, b] = await Promise.all([approve(), approve()]);
        expect([a.status, b.status]).toEqual([200, 200]);
        expect(a.body.position).toBe(b.body.position);
        expect((await streamOf(`initiative-${id('race')}`)).map((e) => e.type)).toEqual(['InitiativeSubmitted', 'InitiativeApproved']);
      });
    });
  });
}
