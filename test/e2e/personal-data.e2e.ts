import { INestApplication } from '@nestjs/common';
import { EventStore } from '@app/event-store';
import { KeyStore, MasterKey } from '@app/personal-data';
import { ReadModelGenerations, RebuildQueue } from '@app/read-models';
import { authorized, createTestApp } from '../support/test-app';
import { Freshness } from '../../apps/api/src/read-models/freshness';
import { BAC_KAN_PROGRAM, initiativeBody, unitBody } from '../support/bac-kan';
import { CrashingKeyStore } from '../support/crashing-key-store';

export interface PersonalDataTarget {
  /** Each call opens the same event store anew (the previous app closed its own). */
  openEvents: () => Promise<EventStore>;
  openKeys: () => Promise<{ keyStore: KeyStore; masterKey: MasterKey }>;
  /** Each call: empty read models, so that the app projects (rebuilds) the whole log. */
  openReadModels: () => Promise<ReadModelGenerations & RebuildQueue>;
  /** Everything the event store holds, as bytes. */
  storedBytes: () => Promise<Buffer>;
  /** Every file the service keeps (the embedded default). */
  filesBytes?: () => Buffer[];
  maxWaitMs?: number;
}

const PLACEHOLDER = '[đã xoá]';

/**
 * Personal data end to end: names go into the log encrypted, an erasure destroys the key and
 * every answer shows the placeholder while every figure stays what it was, a rebuild cannot bring
 * the name back, and an erasure interrupted between its event and the key's destruction ends on
 * the next start.
 */
export function describePersonalData(name: string, target: PersonalDataTarget): void {
  describe(`personal data on ${name}`, () => {
    let app: INestApplication;
    let last = '0';
    const run = Math.random().toString(36).slice(2, 8);
    const id = (label: string) => `${label}-${run}`;
    const program = id('bk');
    const member = { name: `Phạm Thị Xuyến ${run}`, memberNo: `CD-${run}-01` };
    const colleague = `Lê Văn Bình ${run}`;
    const plainAuthor = `Trần Văn Khải ${run}`;
    const other = { name: `Đỗ Thị Lan ${run}`, memberNo: `CD-${run}-02` };
    const names = [member.name, member.memberNo, colleague, plainAuthor, other.name, other.memberNo];

    const api = () => authorized(app);
    const post = async (path: string, body: object, status = 201) => {
      const response = await api().post(path).send(body);
      expect({ status: response.status, body: response.body }).toMatchObject({ status });
      if (response.body.position) last = response.body.position;
      return response;
    };
    const get = async (path: string, query: Record<string, string> = {}) => (await api().get(path).query({ ...query, minPosition: last }).expect(200)).body;

    const start = async (keys?: { keyStore: KeyStore; masterKey: MasterKey }) => {
      app = await createTestApp({
        eventStore: { instance: await target.openEvents() },
        readModels: { readModel: { generations: await target.openReadModels() }, projector: { embedded: true } },
        personalData: keys ?? (await target.openKeys()),
      });
      app.get(Freshness).maxWaitMs = target.maxWaitMs ?? 5_000;
    };

    beforeAll(async () => {
      await start();
      await post('/programs', { ...BAC_KAN_PROGRAM, id: program });
      await post('/units', unitBody(id('prov'), 'province', null, 100));
      await post('/units', unitBody(id('school'), 'grassroots', id('prov'), 400));
      const submit = (label: string, authors: unknown[]) => post('/initiatives', initiativeBody(id(label), id('school'), { programId: program, authors, title: `Sáng kiến ${label}` }));
      await submit('a', [member, colleague]);
      await submit('b', [member]);
      await submit('c', [plainAuthor]);
      await submit('d', [other]);
      await post(`/initiatives/${id('a')}/approve`, { decisionRef: 'QĐ 1/HĐSK', approvedAt: '2022-05-10T03:00:00Z' }, 200);
      await post(`/initiatives/${id('c')}/approve`, { decisionRef: 'QĐ 2/HĐSK', approvedAt: '2022-05-11T03:00:00Z' }, 200);
      await post(`/initiatives/${id('b')}/correct`, { changes: { authors: [member, ' Hà Văn Tư '] }, reason: 'thiếu đồng tác giả' }, 200);
    });
    afterAll(async () => {
      await app?.close();
    });

    it('never writes a name or a member number in clear into the event store', async () => {
      const bytes = await target.storedBytes();
      expect(bytes.includes(Buffer.from(`Sáng kiến a`))).toBe(true);
      for (const text of names) expect({ text, found: bytes.includes(Buffer.from(text)) }).toEqual({ text, found: false });
    });

    it('accepts a member or a name as author, validated like every field', async () => {
      expect((await get(`/initiatives/${id('a')}`)).authors).toEqual([member.name, colleague]);
      expect((await get(`/initiatives/${id('b')}`)).authors).toEqual([member.name, 'Hà Văn Tư']);
      const bad = await post('/initiatives', initiativeBody(id('bad'), id('school'), { programId: program, authors: [{ name: 'X', memberNo: 'no spaces' }, { name: 'Y' }, ''] }), 400);
      expect(bad.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'authors' }] });
      const extra = await post(`/initiatives/${id('c')}/correct`, { changes: { authors: [{ name: 'Z', memberNo: '1', email: 'z@x' }] } }, 400);
      expect(extra.body.code).toBe('VALIDATION_FAILED');
    });

    it('lists exactly the initiatives where a member appears, and what is held about them', async () => {
      const listing = (await api().get(`/admin/personal-data/${member.memberNo}`).expect(200)).body;
      expect(listing).toMatchObject({ memberNo: member.memberNo });
      expect(listing.initiatives.map((i: { initiativeId: string }) => i.initiativeId)).toEqual([id('a'), id('b')]);
      expect(listing.initiatives[0]).toMatchObject({ programId: program, unitId: id('school'), title: 'Sáng kiến a', heldAs: [member], events: [{ type: 'InitiativeSubmitted', field: 'authors' }] });
      expect(listing.initiatives[1].events.map((e: { type: string }) => e.type)).toEqual(['InitiativeSubmitted', 'InitiativeCorrected']);
      expect((await api().get('/admin/personal-data/CD-nobody').expect(200)).body).toEqual({ memberNo: 'CD-nobody', initiatives: [] });
      expect((await api().get('/admin/personal-data/bad%20no').expect(400)).body.code).toBe('VALIDATION_FAILED');
    });

    describe('after an erasure', () => {
      let before: Record<string, unknown>;
      const figures = async (asOf: string) => ({
        progress: (await get(`/units/${id('prov')}/progress`, { programId: program })).items,
        asOf: await get(`/units/${id('prov')}/progress`, { programId: program, asOf }),
        // The history's own `position` is the head it was replayed to, which the erasure event moved on.
        history: (await get(`/units/${id('prov')}/history`, { programId: program, subtree: 'true' })).items,
        list: (await get('/initiatives', { programId: program })).items.map((i: { initiativeId: string; status: string; counted: boolean; benefitValue: string }) => [i.initiativeId, i.status, i.counted, i.benefitValue]),
      });

      beforeAll(async () => {
        before = await figures(last);
        const asked = await post('/admin/personal-data/erasures', { memberNo: member.memberNo, documentRef: 'Đơn ngày 02/01/2026', reason: 'Yêu cầu xoá dữ liệu cá nhân' });
        expect(asked.body).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), position: expect.stringMatching(/^\d+$/), initiatives: [id('a'), id('b')] });
      });

      it('shows the placeholder in every document and search finds the name neither with nor without diacritics', async () => {
        expect((await get(`/initiatives/${id('a')}`)).authors).toEqual([PLACEHOLDER, colleague]);
        expect((await get(`/initiatives/${id('b')}`)).authors).toEqual([PLACEHOLDER, 'Hà Văn Tư']);
        expect((await get(`/initiatives/${id('d')}`)).authors).toEqual([other.name]);
        const list = await get('/initiatives', { programId: program });
        expect(JSON.stringify(list)).not.toContain(member.name);
        for (const q of [`Xuyến ${run}`, `xuyen ${run}`]) expect((await get('/initiatives', { programId: program, q })).items).toEqual([]);
        expect((await get('/initiatives', { programId: program, q: `binh ${run}` })).items.map((i: { initiativeId: string }) => i.initiativeId)).toEqual([id('a')]);
      });

      it('leaves counts, histories and asOf figures exactly as they were, and the read model consistent', async () => {
        const after = await figures((before.asOf as { position: string }).position);
        expect(JSON.stringify(after)).toBe(JSON.stringify(before));
        expect(await get(`/units/${id('prov')}/verify`, { programId: program })).toMatchObject({ consistent: true });
      });

      it('holds nothing more about the member; repeating the erasure changes nothing', async () => {
        expect((await api().get(`/admin/personal-data/${member.memberNo}`).expect(200)).body.initiatives).toEqual([]);
        const again = await post('/admin/personal-data/erasures', { memberNo: member.memberNo, documentRef: 'x', reason: 'y' }, 404);
        expect(again.body.code).toBe('PERSONAL_DATA_NOT_FOUND');
        expect((await get(`/initiatives/${id('a')}`)).authors).toEqual([PLACEHOLDER, colleague]);
      });

      it('erases an author known by name only, inside their initiative', async () => {
        const bad = await post('/admin/personal-data/erasures', { memberNo: other.memberNo, initiativeId: id('c'), author: plainAuthor, documentRef: 'x', reason: 'y' }, 400);
        expect(bad.body.code).toBe('VALIDATION_FAILED');
        const unknown = await post('/admin/personal-data/erasures', { initiativeId: id('c'), author: plainAuthor, documentRef: 'x', reason: 'y', extra: 1 }, 400);
        expect(unknown.body.code).toBe('VALIDATION_FAILED');
        const erased = await post('/admin/personal-data/erasures', { initiativeId: id('c'), author: plainAuthor, documentRef: 'Đơn 2', reason: 'Yêu cầu' });
        expect(erased.body.initiatives).toEqual([id('c')]);
        expect((await get(`/initiatives/${id('c')}`)).authors).toEqual([PLACEHOLDER]);
      });

      // Only the embedded default keeps its files where a test can read them.
      if (target.filesBytes) it('leaves the names in no file the service keeps', () => {
        for (const bytes of target.filesBytes!()) for (const text of [member.name, member.memberNo, plainAuthor]) expect(bytes.includes(Buffer.from(text))).toBe(false);
      });

      it('cannot bring a name back by a rebuild', async () => {
        await app.close();
        await start();
        expect((await get(`/initiatives/${id('a')}`)).authors).toEqual([PLACEHOLDER, colleague]);
        expect((await get(`/initiatives/${id('c')}`)).authors).toEqual([PLACEHOLDER]);
        expect((await get(`/initiatives/${id('d')}`)).authors).toEqual([other.name]);
        expect((await get('/initiatives', { programId: program, q: `xuyen ${run}` })).items).toEqual([]);
        expect((await figures((before.asOf as { position: string }).position)).history).toEqual(before.history);
      });

      it('finishes on restart an erasure interrupted between its event and the key destruction', async () => {
        const keys = await target.openKeys();
        await app.close();
        await start({ ...keys, keyStore: new CrashingKeyStore(keys.keyStore) });
        const response = await api().post('/admin/personal-data/erasures').send({ memberNo: other.memberNo, documentRef: 'Đơn 3', reason: 'Yêu cầu' });
        expect(response.status).toBe(500);
        await app.close();
        await start();
        expect((await get(`/initiatives/${id('d')}`)).authors).toEqual([PLACEHOLDER]);
        expect((await api().get(`/admin/personal-data/${other.memberNo}`).expect(200)).body.initiatives).toEqual([]);
        const again = await post('/admin/personal-data/erasures', { memberNo: other.memberNo, documentRef: 'Đơn 3', reason: 'Yêu cầu' }, 404);
        expect(again.body.code).toBe('PERSONAL_DATA_NOT_FOUND');
      });
    });
  });
}
