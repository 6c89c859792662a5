import { randomBytes } from 'node:crypto';
import { Db, Document, MongoClient } from 'mongodb';
import {
  encodeCursor,
  InitiativeQuery,
  initiativesFind,
  isDuplicateKeyError,
  MongoGenerations,
  MongoLease,
  MongoReadModelStore,
  ProgressQuery,
  progressFind,
  readModelCollectionNames,
  readModelIndexes,
  UnitDoc,
} from '@app/read-models';
import { describeWithMongo } from '../support/mongo-target';
import { describeGenerationReadersContract } from './generation-readers.contract';
import { describeReadModelStoreContract } from './read-model-store.contract';
import { describeSameOrderAsMemory } from './same-order-as-memory';
import { ALL_PROGRESS_SORTS, projected, tieRichLog } from './tie-rich-log';

/** The index fields of a `{ filter, sort }`: the equality fields of the filter, and the sort. */
function shapeOf(find: { filter: Document; sort: Record<string, 1 | -1> }) {
  const equalities = Object.keys(find.filter).filter((k) => !k.startsWith('$'));
  return { equalities, sort: Object.entries(find.sort) };
}

/** An index serves a query when its key is (some of) the query's equality fields, then exactly the sort. */
function servingIndexes(indexes: { key: Document; name?: string }[], find: { filter: Document; sort: Record<string, 1 | -1> }) {
  const { equalities, sort } = shapeOf(find);
  return indexes.filter((index) => {
    const key = Object.entries(index.key);
    const prefix = key.slice(0, key.length - sort.length);
    const suffix = key.slice(key.length - sort.length);
    return JSON.stringify(suffix) === JSON.stringify(sort) && prefix.every(([field, direction]) => direction === 1 && equalities.includes(field));
  });
}

describeWithMongo('MongoDB read-model store', (getUrl, server) => {
  const onFerretDb = server.kind === 'ferretdb';
  let client: MongoClient;
  const opened: Db[] = [];
  /** A fresh database per call; all dropped after each test. */
  const freshDb = () => {
    const db = client.db(`${server.dbName}_${randomBytes(3).toString('hex')}`);
    opened.push(db);
    return db;
  };

  beforeAll(async () => {
    client = await MongoClient.connect(getUrl());
  });
  afterAll(async () => {
    await client.close();
  });
  afterEach(async () => {
    for (const db of opened.splice(0)) await db.dropDatabase();
  });

  describeReadModelStoreContract(`MongoDB (${server.label})`, async () => MongoReadModelStore.open(freshDb()));
  describeGenerationReadersContract(`MongoDB (${server.label})`, async () => new MongoGenerations(freshDb()));

  describeSameOrderAsMemory(`MongoDB (${server.label}) in chunks of 7`, async () => MongoReadModelStore.open(freshDb(), { chunkSize: 7 }));

  describe('writes', () => {
    it('the checkpoint only rises, and is exact beyond 2^53', async () => {
      const store = await MongoReadModelStore.open(freshDb());
      const empty = { progress: [], units: [], initiatives: [], programs: [] };
      await store.write(empty, 2n ** 60n + 1n);
      await store.write(empty, 5n);
      expect(await store.checkpoint()).toBe(2n ** 60n + 1n);
      await store.write(empty, 2n ** 60n + 2n);
      expect(await store.checkpoint()).toBe(2n ** 60n + 2n);
    });

    it('rewrites hundreds of existing documents in chunks (FerretDB hangs on one update command of 100+)', async () => {
      const db = freshDb();
      const store = await MongoReadModelStore.open(db, { chunkSize: 1000 });
      const units = (n: number): UnitDoc[] =>
        Array.from({ length: 250 }, (_, i) => ({
          unitId: `u${i}`,
          name: `Công đoàn ${i}`,
          kind: 'grassroots',
          parentId: 'root',
          path: ['root', `u${i}`],
          everPath: ['root', `u${i}`],
          status: 'active',
          mergedInto: null,
          memberCount: n,
          memberCounts: [{ effectiveOn: '2022-01-01', count: n }],
          quotas: {},
        }));
      await store.write({ progress: [], units: units(1), initiatives: [], programs: [] }, 1n);
      await store.write({ progress: [], units: units(2), initiatives: [], programs: [] }, 2n);
      expect(await db.collection(readModelCollectionNames().units).countDocuments({ memberCount: 2 })).toBe(250);
      expect((await store.children('root', 1000)).items).toHaveLength(250);
    }, 30_000);

    it('stores quota maps keyed by ids with dots (which FerretDB refuses as field names) and reads them back', async () => {
      const store = await MongoReadModelStore.open(freshDb());
      const unit: UnitDoc = {
        unitId: 'cd.a',
        name: 'Công đoàn A',
        kind: 'district',
        parentId: null,
        path: ['cd.a'],
        everPath: ['cd.a'],
        status: 'active',
        mergedInto: null,
        memberCount: 10,
        memberCounts: [{ effectiveOn: '2022-01-01', count: 10 }],
        quotas: { 'bk.2022': { 'p.1': 3, all: 9 }, other: {} },
      };
      await store.write({ progress: [], units: [unit], initiatives: [], programs: [] }, 1n);
      expect(await store.unit('cd.a')).toStrictEqual(unit);
    });

    it('keeps every collection under its prefix: two versions of the read models live side by side', async () => {
      const db = freshDb();
      const { changes, head } = projected(tieRichLog());
      const live = await MongoReadModelStore.open(db, { prefix: 'v1_' });
      const next = await MongoReadModelStore.open(db, { prefix: 'v2_' });
      await live.write(changes, head);
      expect(await next.checkpoint()).toBe(0n);
      expect(await next.unit('prov')).toBeNull();
      await next.write(changes, head - 1n);
      expect(await live.checkpoint()).toBe(head);
      const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
      expect(names).toEqual([...Object.values(readModelCollectionNames('v1_')), ...Object.values(readModelCollectionNames('v2_'))].sort());
    });
  });

  describe('indexes', () => {
    const progressQueries: ProgressQuery[] = [];
    for (const sort of ALL_PROGRESS_SORTS) {
      for (const scope of [{}, { parentId: 'd1' }, { kind: 'grassroots' as const }, { finishedEarly: true }]) {
        progressQueries.push({ programId: 'bk', phaseId: 'p1', sort, limit: 10, ...scope });
      }
    }
    const initiativeQueries: InitiativeQuery[] = [
      { limit: 10 },
      { programId: 'bk', limit: 10 },
      { unitId: 'd1', limit: 10 },
      { unitId: 'd1', subtree: true, limit: 10 },
      { status: 'approved', limit: 10 },
      { phaseId: 'p1', limit: 10 },
      { programId: 'bk', status: 'submitted', limit: 10 },
      { programId: 'bk', phaseId: 'p2', limit: 10 },
      { unitId: 'g01', status: 'approved', limit: 10 },
      { unitId: 'prov', subtree: true, status: 'approved', limit: 10 },
    ];

    it('are created at open, once: opening again changes nothing', async () => {
      const db = freshDb();
      await MongoReadModelStore.open(db);
      await MongoReadModelStore.open(db);
      await MongoReadModelStore.open(db);
      const wanted = readModelIndexes();
      const names = readModelCollectionNames();
      for (const collection of ['progress', 'units', 'initiatives'] as const) {
        const existing = await db.collection(names[collection]).listIndexes().toArray();
        expect(existing.map((i) => i.name).sort()).toEqual(['_id_', ...wanted[collection].map((i) => i.name!)].sort());
        for (const index of wanted[collection]) expect(existing.find((i) => i.name === index.name)?.key).toEqual(index.key);
      }
      // 8 sorts x (phase alone, parent, kind, finishedEarly), and one per unit.
      expect(wanted.progress).toHaveLength(33);
    });

    it('opening the same new database concurrently (an API and a projector starting at once) is safe', async () => {
      const db = freshDb();
      await Promise.all([MongoReadModelStore.open(db), MongoReadModelStore.open(db), MongoReadModelStore.open(db)]);
      const existing = await db.collection(readModelCollectionNames().progress).listIndexes().toArray();
      expect(existing).toHaveLength(readModelIndexes().progress.length + 1);
    });

    it('serve every query shape of the port: equality fields first, then exactly the sort (with the id tiebreak)', () => {
      const indexes = readModelIndexes();
      for (const query of progressQueries) {
        const find = progressFind(query);
        const exact = servingIndexes(indexes.progress, find).filter((i) => Object.keys(i.key).length === shapeOf(find).equalities.length + Object.keys(find.sort).length);
        expect({ query, exact: exact.map((i) => i.name) }).toEqual({ query, exact: [expect.any(String)] });
        // A cursor adds only a range on the sort fields: the same index serves the next pages.
        const next = progressFind({ ...query, cursor: encodeCursor([query.sort === 'unitId' ? '' : query.sort === 'reachedQuotaOn' ? '2022-01-01' : 1, 'd1']) });
        expect(servingIndexes(indexes.progress, next).map((i) => i.name)).toContain(exact[0].name);
      }
      for (const query of initiativeQueries) {
        const find = initiativesFind(query);
        const exact = servingIndexes(indexes.initiatives, find).filter((i) => Object.keys(i.key).length === shapeOf(find).equalities.length + 2);
        expect({ query, exact: exact.map((i) => i.name) }).toEqual({ query, exact: [expect.any(String)] });
      }
      // Any other combination still walks an index in sort order, filtering the rest (e.g. unitId + phaseId, or a search).
      for (const query of [{ unitId: 'g01', phaseId: 'p1', limit: 5 }, { q: 'sang kien', programId: 'bk', limit: 5 }] as InitiativeQuery[]) {
        expect(servingIndexes(indexes.initiatives, initiativesFind(query)).length).toBeGreaterThan(0);
      }
      expect(servingIndexes(indexes.units, { filter: { parentId: 'd1' }, sort: { parentId: 1, unitId: 1 } })).toHaveLength(1);
    });

    // FerretDB 1.x on SQLite pushes no filter or sort down and explains every query as a SCAN, so there
    // the check is on the index catalogue: each query's equality fields then sort fields form an index's key.
    it(`the main progress and initiatives queries are served by an index (${onFerretDb ? 'by the index catalogue on FerretDB' : 'by explain() on MongoDB'})`, async () => {
      const db = freshDb();
      if (onFerretDb) {
        const names = readModelCollectionNames();
        await MongoReadModelStore.open(db);
        const keysOf = async (collection: string) => (await db.collection(collection).listIndexes().toArray()).map((i) => Object.keys(i.key as Document).join(','));
        const covered = (keys: string[], find: { filter: Document; sort: Record<string, 1 | -1> }) => {
          const equality = Object.keys(find.filter).filter((k) => !k.startsWith('$') && (typeof find.filter[k] !== 'object' || find.filter[k] === null));
          return keys.some((k) => {
            const fields = k.split(',');
            const sortStart = fields.length - Object.keys(find.sort).length;
            return fields.slice(sortStart).join(',') === Object.keys(find.sort).join(',') && equality.every((f) => fields.slice(0, sortStart).includes(f));
          });
        };
        const progressKeys = await keysOf(names.progress);
        for (const query of progressQueries) expect({ query, covered: covered(progressKeys, progressFind(query)) }).toEqual({ query, covered: true });
        const initiativeKeys = await keysOf(names.initiatives);
        for (const query of initiativeQueries) expect({ query, covered: covered(initiativeKeys, initiativesFind(query)) }).toEqual({ query, covered: true });
        return;
      }
      const store = await MongoReadModelStore.open(db);
      const { changes, head } = projected(tieRichLog());
      await store.write(changes, head);
      const names = readModelCollectionNames();
      const stagesOf = (plan: Document): string[] => [plan.stage as string, ...(plan.inputStage ? stagesOf(plan.inputStage) : []), ...((plan.inputStages as Document[] | undefined) ?? []).flatMap(stagesOf)];
      const check = async (collection: string, find: { filter: Document; sort: Record<string, 1 | -1> }) => {
        const explained = await db.collection(collection).find(find.filter).sort(find.sort).limit(11).explain('queryPlanner');
        const winning = (explained.queryPlanner as Document).winningPlan as Document;
        const stages = stagesOf((winning.queryPlan as Document | undefined) ?? winning);
        expect({ find, stages }).toEqual({ find, stages: expect.arrayContaining(['IXSCAN']) });
        expect(stages).not.toContain('SORT');
        expect(stages).not.toContain('COLLSCAN');
      };
      for (const query of progressQueries) await check(names.progress, progressFind(query));
      for (const query of initiativeQueries) await check(names.initiatives, initiativesFind(query));
    });
  });

  describe('MongoLease', () => {
    let clock = 1_700_000_000_000;
    const now = () => clock;
    const leaseOn = (db: Db, name = 'projector') => new MongoLease(db, { name, now });

    it('one owner at a time: the holder renews, another takes over only after expiry, release frees at once', async () => {
      const db = freshDb();
      const [a, b] = [leaseOn(db), leaseOn(db)];
      expect(await a.tryAcquire('A', 1000)).toBe(true);
      expect(await b.tryAcquire('B', 1000)).toBe(false);
      clock += 900;
      expect(await a.tryAcquire('A', 1000)).toBe(true); // renewal: now held until +1900
      clock += 900;
      expect(await b.tryAcquire('B', 1000)).toBe(false); // A renewed: still A's
      expect(await a.holder()).toEqual({ owner: 'A', until: new Date(clock + 100) });
      clock += 100;
      expect(await b.tryAcquire('B', 1000)).toBe(true); // A stopped renewing: expired, B's
      expect(await a.tryAcquire('A', 1000)).toBe(false); // A has lost it
      await a.release('A'); // not A's: nothing happens
      expect(await a.tryAcquire('A', 1000)).toBe(false);
      await b.release('B');
      expect(await a.tryAcquire('A', 1000)).toBe(true); // freed at once
    });

    it('leases of different names are independent', async () => {
      const db = freshDb();
      expect(await leaseOn(db, 'x').tryAcquire('A', 1000)).toBe(true);
      expect(await leaseOn(db, 'y').tryAcquire('B', 1000)).toBe(true);
      expect(await leaseOn(db, 'x').tryAcquire('B', 1000)).toBe(false);
    });

    // FerretDB 1.x applies updates without isolation (see test/ferretdb/ferretdb-capabilities.spec.ts):
    // under real contention several owners may "win". Exclusion under contention holds on MongoDB.
    it(`exactly one of many owners wins (${onFerretDb ? 'one after the other on FerretDB, whose updates are not atomic' : 'all at once on MongoDB'})`, async () => {
      const db = freshDb();
      for (let round = 0; round < 5; round++) {
        clock += 10_000; // everything held before has expired
        const attempt = (i: number) => leaseOn(db).tryAcquire(`owner-${round}-${i}`, 5000);
        const results: boolean[] = [];
        if (onFerretDb) for (let i = 0; i < 20; i++) results.push(await attempt(i));
        else results.push(...(await Promise.all(Array.from({ length: 20 }, (_, i) => attempt(i)))));
        expect(results.filter(Boolean)).toHaveLength(1);
      }
    });

    it('recognises duplicate-key errors as MongoDB and FerretDB report them', () => {
      expect(isDuplicateKeyError({ code: 11000, message: 'E11000 duplicate key error' })).toBe(true);
      expect(isDuplicateKeyError({ code: 1, message: 'UNIQUE constraint failed: index' })).toBe(true);
      expect(isDuplicateKeyError({ code: 1, message: 'something else' })).toBe(false);
      expect(isDuplicateKeyError(new Error('duplicate key'))).toBe(false);
    });
  });
});
