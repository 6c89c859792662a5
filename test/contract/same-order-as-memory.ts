import { InitiativeQuery, InvalidCursorError, MemoryReadModelStore, ReadModelProjections, ProgressQuery, ReadModelStore } from '@app/read-models';
import { ALL_PROGRESS_SORTS, projected, tieRichLog, walk } from './tie-rich-log';

export function describeSameOrderAsMemory(name: string, open: () => Promise<ReadModelStore>): void {
  describe(`orders and pages exactly as the memory adapter: ${name}`, () => {
    const log = tieRichLog();
    const { changes, head } = projected(log);
    let memory: MemoryReadModelStore;
    let subject: ReadModelStore;
    beforeEach(async () => {
      memory = new MemoryReadModelStore();
      await memory.write(changes, head);
      subject = await open();
      await subject.write(changes, head);
    });
    afterEach(async () => {
      await subject.close();
    });

    it('progress: every sort, with and without parent, kind and finishedEarly, paged by 4', async () => {
      const scopes: Partial<ProgressQuery>[] = [{}, { parentId: 'prov' }, { parentId: 'd1' }, { kind: 'grassroots' }, { kind: 'district' }, { finishedEarly: true }, { finishedEarly: false }, { parentId: 'd2', kind: 'grassroots' }];
      let compared = 0;
      for (const phaseId of ['p1', 'all']) {
        for (const sort of ALL_PROGRESS_SORTS) {
          for (const scope of scopes) {
            const query = { programId: 'bk', phaseId, sort, limit: 4, ...scope };
            const expected = await walk((cursor) => memory.progress({ ...query, cursor }));
            const actual = await walk((cursor) => subject.progress({ ...query, cursor }));
            expect({ query, ...actual }).toEqual({ query, ...expected });
            compared += expected.items.length;
          }
        }
      }
      expect(compared).toBeGreaterThan(500);
    });

    it('progress: rows rewritten batch after batch (as a live projector writes) are found where their latest values sort', async () => {
      const events = log.positioned();
      const projection = new ReadModelProjections(new Map(), { journal: true });
      const [memoryLive, subjectLive] = [new MemoryReadModelStore(), await open()];
      try {
        for (let i = 0; i < events.length; i++) {
          projection.apply(events[i]);
          if (i % 7 !== 6 && i !== events.length - 1) continue;
          const batch = projection.flush();
          await memoryLive.write(batch, events[i].position);
          await subjectLive.write(batch, events[i].position);
        }
        for (const phaseId of ['p1', 'all']) {
          for (const sort of ALL_PROGRESS_SORTS) {
            for (const scope of [{}, { kind: 'grassroots' as const }, { finishedEarly: true }, { parentId: 'd1' }]) {
              const query = { programId: 'bk', phaseId, sort, limit: 5, ...scope };
              expect({ query, ...(await walk((cursor) => subjectLive.progress({ ...query, cursor }))) }).toEqual({ query, ...(await walk((cursor) => memoryLive.progress({ ...query, cursor }))) });
            }
          }
        }
        // The same rows as one write of the whole log gives.
        expect((await walk((cursor) => subjectLive.progress({ programId: 'bk', phaseId: 'all', sort: '-counted', limit: 50, cursor }))).items).toEqual(
          (await walk((cursor) => subject.progress({ programId: 'bk', phaseId: 'all', sort: '-counted', limit: 50, cursor }))).items,
        );
      } finally {
        await subjectLive.close();
      }
    });

    it('progress rows carry nulls and ties as the memory adapter sorts them', async () => {
      const rows = (await subject.progress({ programId: 'bk', phaseId: 'p1', sort: '-attainmentPercent', limit: 100 })).items;
      expect(rows.some((r) => r.attainmentPercent === null)).toBe(true);
      expect(rows.some((r) => r.reachedQuotaOn === null)).toBe(true);
      expect(rows[rows.length - 1].attainmentPercent).toBeNull();
    });

    it('initiatives: every filter, search and paging by 5, newest first, ties by id descending', async () => {
      const queries: Omit<InitiativeQuery, 'limit'>[] = [
        {},
        { programId: 'bk' },
        { unitId: 'g02' },
        { unitId: 'd1', subtree: true },
        { unitId: 'prov', subtree: true, status: 'approved' },
        { status: 'submitted' },
        { status: 'rejected' },
        { phaseId: 'p1' },
        { programId: 'bk', phaseId: 'p2', status: 'approved' },
        { q: 'so hoa' },
        { q: 'Cải tiến', unitId: 'gd', subtree: true },
        { q: '1' },
        { q: '(' },
      ];
      for (const q of queries) {
        const query = { ...q, limit: 5 };
        const expected = await walk((cursor) => memory.initiatives({ ...query, cursor }));
        const actual = await walk((cursor) => subject.initiatives({ ...query, cursor }));
        expect({ query, ...actual }).toEqual({ query, ...expected });
      }
    });

    it('children and single documents read back exactly, without _id or any hidden field', async () => {
      for (const parent of ['prov', 'd1', 'd2', 'gd', 'g01']) {
        expect(await walk((cursor) => subject.children(parent, 2, cursor))).toEqual(await walk((cursor) => memory.children(parent, 2, cursor)));
      }
      for (const row of changes.progress.slice(0, 40)) {
        const [m, e] = [await subject.unitProgress(row.programId, row.unitId), await memory.unitProgress(row.programId, row.unitId)];
        expect(m).toEqual(e);
        expect(m.map((r) => Object.keys(r).sort())).toEqual(e.map((r) => Object.keys(r).sort()));
      }
      const page = await subject.progress({ programId: 'bk', phaseId: 'p1', sort: 'reachedQuotaOn', limit: 3 });
      expect(Object.keys(page.items[0]).sort()).toEqual(Object.keys(changes.progress[0]).sort());
      for (const unit of changes.units) expect(await subject.unit(unit.unitId)).toStrictEqual(await memory.unit(unit.unitId));
      for (const doc of changes.initiatives) expect(await subject.initiative(doc.initiativeId)).toStrictEqual(await memory.initiative(doc.initiativeId));
      expect(await subject.program('bk')).toStrictEqual(await memory.program('bk'));
      for (const kind of ['progress', 'units', 'initiatives', 'programs'] as const) {
        const [m, e]: unknown[][] = [[], []];
        for await (const doc of subject.documents(kind)) m.push(doc);
        for await (const doc of memory.documents(kind)) e.push(doc);
        const idOf = (d: unknown) => ['programId', 'unitId', 'phaseId', 'initiativeId'].map((k) => (d as Record<string, string>)[k] ?? '').join('|');
        const sorted = (docs: unknown[]) => [...docs].sort((x, y) => (idOf(x) < idOf(y) ? -1 : idOf(x) > idOf(y) ? 1 : 0));
        expect(sorted(m)).toStrictEqual(sorted(e));
        expect(m).toHaveLength(kind === 'progress' ? changes.progress.length : changes[kind].length);
      }
      // The initiatives' keys alone, as the whole-system check reads them: every stored one, each once, with its unit.
      const keys: unknown[] = [];
      for await (const key of subject.initiativeKeys()) keys.push(key);
      const byId = (docs: { initiativeId: string }[]) => [...docs].sort((x, y) => (x.initiativeId < y.initiativeId ? -1 : 1));
      expect(byId(keys as { initiativeId: string }[])).toStrictEqual(byId(changes.initiatives.map(({ initiativeId, unitId }) => ({ initiativeId, unitId }))));
    });

    it('refuses a cursor whose value is not of the type its sort produces', async () => {
      const numberCursor = (await subject.progress({ programId: 'bk', phaseId: 'p1', sort: 'counted', limit: 1 })).nextCursor!;
      await expect(subject.progress({ programId: 'bk', phaseId: 'p1', sort: 'reachedQuotaOn', limit: 1, cursor: numberCursor })).rejects.toBeInstanceOf(InvalidCursorError);
      await expect(subject.initiatives({ limit: 1, cursor: numberCursor })).rejects.toBeInstanceOf(InvalidCursorError);
      await expect(subject.children('prov', 1, numberCursor)).rejects.toBeInstanceOf(InvalidCursorError);
    });
  });
}
