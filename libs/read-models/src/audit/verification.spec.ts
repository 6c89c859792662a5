import { SqliteEventStore } from '@app/event-store';
import { ProgrammeLog } from '../../test/programme-log';
import { InitiativeDoc } from '../initiatives/initiative-doc';
import { MemoryReadModelStore } from '../store/memory/memory-read-model-store';
import { ReadModelStore } from '../store/read-model-store.port';
import { replayLog } from './replay';
import { verifyAll } from './verification';

/** The whole-system check, which streams the stored documents against a replay that keeps only figures and paths. */
describe('whole-system verification', () => {
  const log = new ProgrammeLog('bk').launchBacKan().unit('prov', 'province', null, 10).unit('a', 'district', 'prov', 200).unit('a1', 'grassroots', 'a', 40).unit('b1', 'grassroots', 'prov', 60);
  for (let i = 0; i < 30; i++) {
    const unit = i % 2 ? 'a1' : 'b1';
    log.submit(`i${i}`, unit, `2022-0${2 + (i % 5)}-0${1 + (i % 9)}T02:00:00Z`, String(1000 * i), { title: `Sáng kiến ${i}` });
    if (i % 3) log.approve(`i${i}`, unit, '2022-08-01T02:00:00Z', String(900 * i));
  }
  log.correct('i4', 'b1', { title: 'Cải tiến 4', benefitValue: '4444' }).move('a1', 'a', 'prov').moveInitiative('i7', 'a1', 'b1');

  let events: SqliteEventStore;
  let documents: { kind: 'progress' | 'units' | 'initiatives' | 'programs'; doc: unknown }[];
  beforeAll(async () => {
    events = new SqliteEventStore(':memory:');
    await log.appendTo(events);
    const projection = await replayLog(events, { journal: true });
    projection.markEverythingDirty();
    const changes = projection.flush();
    documents = (['progress', 'units', 'initiatives', 'programs'] as const).flatMap((kind) => changes[kind].map((doc) => ({ kind, doc })));
  });
  afterAll(() => events.close());

  /** A store holding the replay's documents, less those `skip` names and with `edit` applied. */
  async function storeOf(skip: (doc: unknown) => boolean = () => false, edit: (doc: unknown) => unknown = (d) => d): Promise<ReadModelStore> {
    const store = new MemoryReadModelStore();
    const kept = documents.filter(({ doc }) => !skip(doc));
    const of = <K extends string>(kind: K) => kept.filter((d) => d.kind === kind).map((d) => edit(structuredClone(d.doc)));
    await store.write({ progress: of('progress'), units: of('units'), initiatives: of('initiatives'), programs: of('programs') } as never, await events.headPosition());
    return store;
  }

  /** Every case twice: with every node kept to the end, and with the replay letting nodes go after every 4 events (a unit moved after i7 was let go, i0 let go long before the end). */
  const bounds = [
    ['every node kept', {}],
    ['nodes let go early', { initiativesInMemory: 1, pageSize: 4 }],
  ] as const;

  it.each(bounds)('finds the read model of the same log consistent, having checked every document (%s)', async (_, limits) => {
    const result = await verifyAll(await storeOf(), events, limits);
    expect(result).toMatchObject({ consistent: true, differences: [], checked: documents.length });
  });

  it.each(bounds)('names a changed figure of an initiative let go early, of a moved one and of a row (%s)', async (_, limits) => {
    const result = await verifyAll(
      await storeOf(undefined, (doc) => {
        const d = doc as Partial<InitiativeDoc> & { phaseId?: string; unitId?: string; counted?: unknown };
        if (d.initiativeId === 'i7') return { ...d, unitPath: ['prov', 'a', 'a1'] };
        if (d.initiativeId === 'i0') return { ...d, benefitValue: '5' };
        if (d.initiativeId === 'i2') return { ...d, everUnitPath: ['prov'] };
        if (d.unitId === 'a' && d.phaseId === 'all' && !d.initiativeId) return { ...d, counted: 999 };
        return d;
      }),
      events,
      limits,
    );
    expect(result.consistent).toBe(false);
    expect(result.differences).toEqual(
      expect.arrayContaining([
        { document: 'initiative i7', field: 'unitPath', readModel: ['prov', 'a', 'a1'], replay: ['prov', 'b1'] },
        { document: 'initiative i0', field: 'benefitValue', readModel: '5', replay: '0' },
        { document: 'initiative i2', field: 'everUnitPath', readModel: ['prov'], replay: ['b1', 'prov'] },
        expect.objectContaining({ document: 'progress bk/a/all', field: 'counted', readModel: 999 }),
      ]),
    );
  });

  it.each(bounds)('counts what the read model lacks, and names what it holds that the log does not (%s)', async (_, limits) => {
    const lacking = await verifyAll(await storeOf((doc) => (doc as InitiativeDoc).initiativeId === 'i3'), events, limits);
    expect(lacking.differences).toEqual([{ document: 'initiatives (1 of 30)', field: '(document)', readModel: 'absent', replay: 'present' }]);
    const extra = await storeOf();
    const ghost = documents.find((d) => d.kind === 'initiatives')!.doc as InitiativeDoc;
    await extra.write({ progress: [], units: [], initiatives: [{ ...ghost, initiativeId: 'ghost' }], programs: [] }, await events.headPosition());
    expect((await verifyAll(extra, events, limits)).differences).toEqual([{ document: 'initiative ghost', field: '(document)', readModel: 'present', replay: 'absent' }]);
  });
});
