import { INestApplication } from '@nestjs/common';
import { createPublicKey, randomUUID, verify } from 'node:crypto';
import { canonicalJson, EventStore } from '@app/event-store';
import { authorized, createTestApp } from '../support/test-app';
import { BAC_KAN_PROGRAM, initiativeBody, unitBody } from '../support/bac-kan';

/** What someone with write access to the store's storage can do, behind the service's back. Each returns its undo. */
export interface Tampering {
  /** Rewrites the stored data of one event. */
  editData(stream: string, revision: number, edit: (data: Record<string, unknown>) => Record<string, unknown>): Promise<() => Promise<void>>;
  /** Exchanges two events' contents (type, data, metadata) in place. */
  swap(stream: string, a: number, b: number): Promise<() => Promise<void>>;
  /** Deletes one event (in its storage: EventStoreDB's API cannot delete a single event). */
  remove(stream: string, revision: number): Promise<() => Promise<void>>;
  /** Cuts the log after a position, seals included: not undone. */
  truncateAfter(position: bigint): Promise<void>;
}

export interface IntegrityTarget {
  openEvents: () => Promise<EventStore>;
  tampering: Tampering;
}

/**
 * Tamper evidence end to end: every stream is a hash chain over the events as stored, and the
 * integrity check names the first broken link — an edited, deleted or swapped event — and says a
 * valid log is clean, including after a personal-data erasure.
 */
export function describeIntegrity(name: string, target: IntegrityTarget): void {
  describe(`tamper evidence on ${name}`, () => {
    let app: INestApplication;
    let last = '0';
    const run = Math.random().toString(36).slice(2, 8);
    const id = (label: string) => `${label}-${run}`;
    const program = id('bk');
    const api = () => authorized(app);
    const post = async (path: string, body: object, status = 201) => {
      const response = await api().post(path).send(body);
      expect({ status: response.status, body: response.body }).toMatchObject({ status });
      if (response.body.position) last = response.body.position;
      return response;
    };
    const integrity = async () => (await api().get(`/units/${id('prov')}/integrity`).query({ programId: program, minPosition: last }).expect(200)).body;
    let rawStore: EventStore;
    let early = 0n;
    let preChainEnd = 0n;
    const stored = async (stream: string) => rawStore.readStream(stream);

    beforeAll(async () => {
      rawStore = await target.openEvents();
      preChainEnd = await writePreChainHistory(rawStore, id);
      app = await createTestApp({ eventStore: { instance: rawStore }, readModels: { readModel: { kind: 'sqlite', path: ':memory:' }, projector: { embedded: true } } });
      await post('/programs', { ...BAC_KAN_PROGRAM, id: program });
      await post('/units', unitBody(id('prov'), 'province', null, 100));
      await post('/units', unitBody(id('school'), 'grassroots', id('prov'), 400));
      for (const label of ['a', 'b']) {
        await post('/initiatives', initiativeBody(id(label), id('school'), { programId: program, authors: [{ name: `Vũ Thị Mai ${run}`, memberNo: `CD-${run}` }] }));
        await post(`/initiatives/${id(label)}/approve`, { decisionRef: 'QĐ 1/HĐSK', approvedAt: '2022-05-10T03:00:00Z', benefitValue: 6_500_000 }, 200);
      }
      early = BigInt(last);
      await post(`/initiatives/${id('b')}/correct`, { changes: { title: 'Sáng kiến b, sửa tên' } }, 200);
    });
    const checkWholeLog = async (body: object = {}) => {
      const job = (await api().post('/admin/integrity').send(body).expect(202)).body;
      let state = job;
      while (state.state === 'running') state = (await api().get(`/admin/integrity/${job.id}`).expect(200)).body;
      expect(state.state).toBe('done');
      return state.result;
    };
    afterAll(async () => {
      await app?.close();
    });

    it('finds a valid log clean, and history entries cite their event hash', async () => {
      const report = await integrity();
      expect(report).toMatchObject({ programId: program, unitId: id('prov'), intact: true, unchainedEvents: 0, firstBroken: null });
      expect(report.events).toBeGreaterThanOrEqual(8);
      const history = (await api().get(`/units/${id('prov')}/history`).query({ programId: program, subtree: 'true', minPosition: last }).expect(200)).body.items;
      const approved = history.find((e: { stream: string; type: string }) => e.stream === `initiative-${id('a')}` && e.type === 'InitiativeApproved');
      expect(approved.hash).toBe((await stored(`initiative-${id('a')}`))[1]!.metadata.hash);
      expect(approved.hash).toMatch(/^[0-9a-f]{64}$/);
    });

    it('sealed the history written before chains existed at its first start, and catches an edit of it against that seal', async () => {
      const [startSeal] = (await api().get('/audit/seals').expect(200)).body.items;
      expect(BigInt(startSeal.upToPosition)).toBe(preChainEnd);
      expect(await checkWholeLog()).toMatchObject({ intact: true, unchainedEvents: PRE_CHAIN_EVENTS, unchainedSealed: PRE_CHAIN_EVENTS, lastSealHeld: { root: startSeal.root } });
      // The service writes on in a stream begun before the chains: its chain goes on from their recomputed hashes.
      await post(`/units/${id('old-prov')}/members`, { memberCount: 130, effectiveOn: '2022-06-01' }, 200);
      const [, , continued] = await stored(`unit-${id('old-prov')}`);
      expect(continued!.metadata.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(await checkWholeLog()).toMatchObject({ intact: true, unchainedSealed: PRE_CHAIN_EVENTS });

      // Someone edits a pre-chain event, which has no hash of its own: the seal no longer holds, in the log or exported.
      const undo = await target.tampering.editData(`unit-${id('old-school')}`, 0, (data) => ({ ...data, memberCount: 4_000 }));
      const inLog = await checkWholeLog();
      const exported = await checkWholeLog({ seal: startSeal });
      await undo();
      for (const report of [inLog, exported]) {
        expect(report).toMatchObject({ intact: false, firstBroken: { kind: 'seal', position: startSeal.upToPosition }, lastSealHeld: null, unchainedSealed: 0 });
      }
      expect(await checkWholeLog({ seal: startSeal })).toMatchObject({ intact: true, unchainedSealed: PRE_CHAIN_EVENTS });
    });

    it('never rebuilds the read models silently on a broken chain: by default the rebuild fails and the old generation stays live; with report it switches and says so', async () => {
      const stream = `initiative-${id('a')}`;
      const rebuild = async (on: INestApplication) => {
        const http = authorized(on);
        await http.post('/admin/projections/progress/rebuild').send({}).expect(202);
        let status;
        do status = (await http.get('/admin/projections').expect(200)).body.items[0];
        while (status.state === 'rebuilding');
        return status;
      };
      // The figures, not the position they were read at (the log grows meanwhile).
      const figures = async () => ({ ...(await api().get(`/units/${id('prov')}/progress`).query({ programId: program, minPosition: last }).expect(200)).body, position: undefined });
      const before = await figures();
      const { generation } = (await api().get('/admin/projections').expect(200)).body.items[0];
      const undo = await target.tampering.editData(stream, 1, (data) => ({ ...data, benefitValue: '999000000' }));
      const [, approved] = await stored(stream);
      try {
        const refused = await rebuild(app);
        expect(refused).toMatchObject({ state: 'live', generation, rebuild: { state: 'failed', finding: expect.stringContaining(`at stream ${stream}, revision 1, position ${approved!.position}`) } });
        expect(refused.rebuild.error).toMatch(/^Not switched to the rebuilt generation: broken hash chain \(content\)/);
        expect(await figures()).toEqual(before);
        // A verification of the read model against a replay reports the chain it replayed through.
        const job = (await api().post('/admin/verifications').send({}).expect(202)).body;
        let verification = job;
        while (verification.state === 'running') verification = (await api().get(`/admin/verifications/${job.id}`).expect(200)).body;
        expect(verification).toMatchObject({ state: 'done', finding: expect.stringContaining(`at stream ${stream}, revision 1`) });

        // Configured to report only, a service on the same log switches to what it rebuilt, and says what it replayed through.
        const reporting = await createTestApp({ eventStore: { instance: await target.openEvents() }, readModels: { readModel: { kind: 'memory' }, projector: { embedded: true }, onBrokenChain: 'report' } });
        try {
          const switched = await rebuild(reporting);
          expect(switched).toMatchObject({ state: 'live', rebuild: { state: 'done', error: null, finding: expect.stringContaining(`at stream ${stream}, revision 1`) } });
          expect(switched.generation).toBeGreaterThan(1);
        } finally {
          await reporting.close();
        }
      } finally {
        await undo();
      }
      const clean = await rebuild(app);
      expect(clean).toMatchObject({ state: 'live', generation: generation + 1, rebuild: { state: 'done', finding: null } });
      expect(await figures()).toEqual(before);
    });

    it('detects an edited benefitValue at that very event', async () => {
      const stream = `initiative-${id('a')}`;
      const undo = await target.tampering.editData(stream, 1, (data) => ({ ...data, benefitValue: '999000000' }));
      const [, approved] = await stored(stream);
      const report = await integrity();
      await undo();
      expect(report).toMatchObject({ intact: false, firstBroken: { stream, revision: '1', position: approved!.position.toString(), kind: 'content' } });
      expect((await integrity()).intact).toBe(true);
    });

    it('detects two events swapped', async () => {
      const stream = `initiative-${id('b')}`;
      const undo = await target.tampering.swap(stream, 1, 2);
      const report = await integrity();
      await undo();
      expect(report).toMatchObject({ intact: false, firstBroken: { stream, revision: '1', kind: 'content' } });
      expect((await integrity()).intact).toBe(true);
    });

    it('detects a deleted event', async () => {
      const stream = `initiative-${id('b')}`;
      const undo = await target.tampering.remove(stream, 1);
      const report = await integrity();
      await undo();
      expect(report).toMatchObject({ intact: false, firstBroken: { stream, revision: '2', kind: 'missing' } });
      expect(report.firstBroken.detail).toContain('revision 1 is missing');
      expect((await integrity()).intact).toBe(true);
    });

    it('checks the whole log in the background, and stays clean through a personal-data erasure', async () => {
      await post('/admin/personal-data/erasures', { memberNo: `CD-${run}`, documentRef: 'Đơn', reason: 'Yêu cầu xoá' });
      expect(await integrity()).toMatchObject({ intact: true, firstBroken: null });
      const job = (await api().post('/admin/integrity').send({}).expect(202)).body;
      expect(job).toMatchObject({ kind: 'integrity', state: 'running' });
      let state = job;
      while (state.state === 'running') state = (await api().get(`/admin/integrity/${job.id}`).expect(200)).body;
      expect(state).toMatchObject({ state: 'done', result: { intact: true, firstBroken: null, unchainedEvents: PRE_CHAIN_EVENTS, unchainedSealed: PRE_CHAIN_EVENTS } });
      // Its progress: every event of the log read, by the end.
      expect(state.result.events).toBeGreaterThan(PRE_CHAIN_EVENTS);
      expect(state.eventsRead).toBe(state.result.events);
      await api().get(`/admin/verifications/${job.id}`).expect(404);
    });
  
    it('seals every stream head with a signature anyone can check with the public key', async () => {
      const { seal } = (await post('/admin/integrity/seals', {})).body;
      expect(seal).toMatchObject({ upToPosition: expect.stringMatching(/^\d+$/), root: expect.stringMatching(/^[0-9a-f]{64}$/), streams: expect.any(Number) });
      const key = (await api().get('/audit/public-key').expect(200)).body;
      expect(key.keyId).toBe(seal.keyId);
      const { upToPosition, streams, root, sealedAt } = seal;
      expect(verify(null, Buffer.from(canonicalJson({ upToPosition, streams, root, sealedAt })), createPublicKey(key.publicKey), Buffer.from(seal.signature, 'base64'))).toBe(true);
      await post(`/initiatives/${id('a')}/correct`, { changes: { title: 'Sáng kiến a, sau niêm phong' } }, 200);
      const result = await checkWholeLog({ seal });
      // The seal of the pre-chain history, this one, and this one again as exported.
      expect(result).toMatchObject({ intact: true, sealsChecked: 3, lastSealHeld: { upToPosition: seal.upToPosition, root: seal.root } });
    });

    it('refuses a seal whose signature is forged', async () => {
      const [seal] = (await api().get('/audit/seals').expect(200)).body.items;
      const forged = await post('/admin/integrity', { seal: { ...seal, root: 'f'.repeat(64) } }, 422);
      expect(forged.body.code).toBe('SEAL_SIGNATURE_INVALID');
      const otherKey = await post('/admin/integrity', { seal: { ...seal, keyId: 'a'.repeat(64) } }, 422);
      expect(otherKey.body.code).toBe('SEAL_SIGNATURE_INVALID');
      expect((await post('/admin/integrity', { seal: { ...seal, root: 'nope' } }, 400)).body.code).toBe('VALIDATION_FAILED');
    });

    it('catches a log cut before an exported seal, which the log alone no longer shows', async () => {
      const [startSeal, exported] = (await api().get('/audit/seals').expect(200)).body.items;
      expect(BigInt(exported.upToPosition)).toBeGreaterThan(early);
      await target.tampering.truncateAfter(early);
      // Only the seal of the pre-chain history, before the cut, is left in the log: it holds.
      expect(await checkWholeLog()).toMatchObject({ intact: true, sealsChecked: 1 });
      const result = await checkWholeLog({ seal: exported });
      expect(result).toMatchObject({ intact: false, firstBroken: { kind: 'missing', position: exported.upToPosition }, lastSealHeld: { upToPosition: startSeal.upToPosition } });
      expect(result.firstBroken.detail).toContain(`the log ends at position ${early}`);
    });
  });
}

/** What a version of the service from before the hash chains wrote: events without `hash`. */
const PRE_CHAIN_EVENTS = 3;

/** Writes that history into an empty store, as the first events of its log; resolves with the position of the last. */
async function writePreChainHistory(store: EventStore, id: (label: string) => string): Promise<bigint> {
  const metadata = { actor: 'admin@bk', recordedAt: '2022-01-26T02:00:00.000Z', correlationId: randomUUID(), commandId: randomUUID(), schemaVersion: 1 };
  const event = (type: string, data: Record<string, unknown>) => ({ id: randomUUID(), type, data, metadata });
  const registered = (unit: string, kind: string, parentId: string | null, memberCount: number) =>
    event('UnitRegistered', { unitId: id(unit), name: `Đơn vị ${unit}`, kind, parentId, memberCount, effectiveOn: '2022-01-26' });
  await store.append(`unit-${id('old-prov')}`, [registered('old-prov', 'province', null, 100), event('MemberCountRecorded', { unitId: id('old-prov'), memberCount: 120, effectiveOn: '2022-02-01' })], 'no_stream');
  const { position } = await store.append(`unit-${id('old-school')}`, [registered('old-school', 'grassroots', id('old-prov'), 40)], 'no_stream');
  return position;
}
