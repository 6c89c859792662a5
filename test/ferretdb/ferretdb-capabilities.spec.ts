/**
 * Probe of exactly the MongoDB features the read-model adapter relies on, run against the suite's server
 * (FerretDB, or a real MongoDB when MONGO_URL is set), so that a FerretDB upgrade or a switch to MongoDB
 * that breaks one of them is caught here rather than in the adapter.
 *
 * What FerretDB 1.24.2 (SQLite backend, `mongodb` driver 6.22) does NOT do — each verified on the binary
 * (the deterministic ones are asserted below as "known FerretDB gap" tests, which fail if a gap closes):
 *  - Transactions: an insert with a session in a transaction -> code 9 FailedToParse
 *    ('insert: unknown field "autocommit"'); commitTransaction -> code 59 CommandNotFound. (A standalone
 *    MongoDB has none either: they need a replica set.)
 *  - Change streams (`watch`): code 238 NotImplemented ('`aggregate` stage "$changeStream" is not implemented yet').
 *  - `$lookup`, `$facet`, `$sortByCount`, `$replaceRoot`: code 238. `$group` accumulators other than `$sum` and
 *    `$count` (`$min`, `$max`, `$avg`, `$first`, `$last`, `$push`, `$addToSet`): code 238. `$expr` in a filter and
 *    operators such as `$add` in `$addFields`: code 238. SILENTLY WRONG: `$set`/`$addFields: { w: '$v' }` stores
 *    the literal string '$v' (field paths are not evaluated there). `$match`, `$sort`, `$skip`, `$limit`,
 *    `$project` (inclusion), `$unwind`, `$count` work.
 *  - SILENTLY WRONG: a `$group` with more than one accumulator computes only the first one; the others come
 *    back as 0 (`{n: {$sum: 1}, total: {$sum: '$amount'}}` -> total 0). Use one accumulator per `$group`.
 *  - `renameCollection` with `dropTarget: true`: code 238; without it onto an existing collection: code 48
 *    NamespaceExists (plain rename to a new name works).
 *  - Index options `partialFilterExpression`, `expireAfterSeconds` (TTL), `collation`: code 238; a text index:
 *    code 27 IndexNotFound. Compound, unique, sparse and dotted-path indexes work. `collation` on find: code 238.
 *  - Decimal128 values: the server drops the connection (MongoNetworkError 'connection ... closed'; FerretDB
 *    logs "v has zero value"). Keep money as Int64 (bigint) or as strings.
 *  - Duplicate keys: an insert, or an upsert that inserts, violating `_id` or a unique index -> 11000 as in
 *    MongoDB; but an update/replace/findOneAndUpdate of an EXISTING document that violates a unique index
 *    -> code 1 InternalError ('... UNIQUE constraint failed: index ...'), and in an unordered bulkWrite that
 *    error aborts the rest of the batch (no writeErrors, following operations not executed).
 *  - NOT ATOMIC under concurrency: an update reads the document, applies the operators in FerretDB and writes
 *    it back, without isolation. 20 concurrent `$inc: 1` on one document ended at 1..4; 20 concurrent
 *    conditional findOneAndUpdate on an expired lease had up to 17 "winners". Only sequential semantics hold,
 *    so a lease/lock on FerretDB excludes nobody under real contention (fine for single-process tests).
 *  - bulkWrite result `upsertedIds` (wire: `upserted[].index`) is keyed by the ordinal of the upsert, not by the
 *    operation's index: [update a, upsert c] gives { 0: 'c' } (MongoDB: { 1: 'c' }). Don't map ids by index.
 *  - HANG: one `update` command (bulkWrite of replaceOne/updateOne) with >= 100 statements that match existing
 *    documents deadlocks FerretDB's SQLite connection pool for that database for good (each statement keeps a
 *    query open until the end of the command, and the pool has 100 connections). 99 works. Write in chunks
 *    of at most 99 update statements (upserts that insert do not count, but chunk them anyway).
 *  - Speed: a replace-upsert costs ~1.5 ms on a 100-document collection, ~7 ms on a 2 000-document one; an
 *    inserting upsert ~2.7 ms. Keep test data small.
 * Works (asserted below): unordered bulkWrite of replaceOne upserts, updateOne $set/$inc/$max/$min/$setOnInsert
 * upserts, findOneAndUpdate upsert + returnDocument 'after', find with nested filters/ranges/$in/$or,
 * 2-field sort, limit, countDocuments, aggregate $match/$group (one accumulator)/$sort/$count,
 * deleteMany, drop, listCollections, case-insensitive $regex, UTF-8 strings, Int64 above 2^53 (exact).
 */
import { Collection, Db, Document, IndexDescription, Long, MongoClient } from 'mongodb';
import { describeWithMongo } from '../support/mongo-target';

/** Our documents have string or number _ids (the driver's default schema types _id as ObjectId). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = { _id: string | number; [field: string]: any };

interface Failure {
  name: string;
  code?: number | string;
  codeName?: string;
  message: string;
}

/** The error `promise` rejects with; fails the test if it succeeds. */
async function failureOf(promise: Promise<unknown>): Promise<Failure> {
  try {
    await promise;
  } catch (error) {
    return error as Failure;
  }
  throw new Error('expected this operation to fail, but it succeeded (a known gap closed? update the notes at the top)');
}

/** Duplicate key as FerretDB and MongoDB report it (see the notes at the top). */
function isDuplicateKey(error: Failure): boolean {
  return error.code === 11000 || (error.code === 1 && /UNIQUE constraint failed/.test(error.message));
}

const TWO_53 = 2n ** 53n;
const MAX_INT64 = 2n ** 63n - 1n;

describeWithMongo('MongoDB capabilities of the read-model adapter', (getUrl, server) => {
  const onFerretDb = server.kind === 'ferretdb';
  /** Asserts a FerretDB limitation; not run against MongoDB. */
  const ferretDbGap = onFerretDb ? it : it.skip;
  /**
   * A guarantee MongoDB gives and FerretDB does not: one test, asserting on each server what it really
   * does (never a skip), so that a change on either side shows.
   */
  const byServer = (name: string, bodies: { mongodb: () => Promise<void>; ferretdb: () => Promise<void> }) => it(name, onFerretDb ? bodies.ferretdb : bodies.mongodb);

  let client: MongoClient;
  let db: Db;
  beforeAll(async () => {
    client = new MongoClient(getUrl(), { maxPoolSize: 25 });
    await client.connect();
    db = client.db();
  });
  afterAll(() => client?.close());

  describe('writes', () => {
    it('unordered bulkWrite of replaceOne upserts inserts and replaces whole documents', async () => {
      const c = db.collection<Doc>('bulk_replace');
      const first = await c.bulkWrite(
        [
          { replaceOne: { filter: { _id: 'a' }, replacement: { v: 1, old: true }, upsert: true } },
          { replaceOne: { filter: { _id: 'b' }, replacement: { v: 1 }, upsert: true } },
        ],
        { ordered: false },
      );
      expect(first).toMatchObject({ upsertedCount: 2, matchedCount: 0, modifiedCount: 0, upsertedIds: { 0: 'a', 1: 'b' } });

      const second = await c.bulkWrite(
        [
          { replaceOne: { filter: { _id: 'a' }, replacement: { v: 2 }, upsert: true } },
          { replaceOne: { filter: { _id: 'c' }, replacement: { v: 1 }, upsert: true } },
        ],
        { ordered: false },
      );
      expect(second).toMatchObject({ upsertedCount: 1, matchedCount: 1, modifiedCount: 1 });
      // The keys of upsertedIds should be operation indexes; FerretDB numbers the upserts instead (see the notes).
      expect(second.upsertedIds).toEqual(onFerretDb ? { 0: 'c' } : { 1: 'c' });
      expect(await c.find().sort({ _id: 1 }).toArray()).toEqual([
        { _id: 'a', v: 2 }, // `old` is gone: replaced whole
        { _id: 'b', v: 1 },
        { _id: 'c', v: 1 },
      ]);
    });

    it('the same _id twice in one unordered batch: applied in order, the last replacement wins', async () => {
      const c = db.collection<Doc>('bulk_dup');
      const result = await c.bulkWrite(
        [
          { replaceOne: { filter: { _id: 'd' }, replacement: { v: 1 }, upsert: true } },
          { replaceOne: { filter: { _id: 'd' }, replacement: { v: 2 }, upsert: true } },
        ],
        { ordered: false },
      );
      expect(result).toMatchObject({ upsertedCount: 1, matchedCount: 1, modifiedCount: 1 });
      expect(await c.find().toArray()).toEqual([{ _id: 'd', v: 2 }]);
    });

    it('a batch of 99 replaceOne upserts of existing documents (the largest safe chunk on FerretDB)', async () => {
      const c = db.collection<Doc>('bulk_chunk');
      const ops = (v: number) =>
        Array.from({ length: 99 }, (_, i) => ({ replaceOne: { filter: { _id: `k${i}` }, replacement: { v }, upsert: true } }));
      expect((await c.bulkWrite(ops(1), { ordered: false })).upsertedCount).toBe(99);
      expect((await c.bulkWrite(ops(2), { ordered: false })).modifiedCount).toBe(99);
      expect(await c.countDocuments({ v: 2 })).toBe(99);
    });

    it('updateOne upsert with $set (dotted), $inc, $max, $min and $setOnInsert', async () => {
      const c = db.collection<Doc>('update_ops');
      const update = (s: string, inc: number, max: number, min: number) =>
        c.updateOne(
          { _id: 'u' },
          { $set: { s, 'nested.m': s }, $inc: { count: inc }, $max: { hi: max }, $min: { lo: min }, $setOnInsert: { created: s } },
          { upsert: true },
        );
      expect(await update('x', 2, 5, 5)).toMatchObject({ upsertedCount: 1, upsertedId: 'u', matchedCount: 0 });
      expect(await update('y', 3, 3, 7)).toMatchObject({ upsertedCount: 0, matchedCount: 1, modifiedCount: 1 });
      expect(await c.findOne({ _id: 'u' })).toEqual({ _id: 'u', s: 'y', nested: { m: 'y' }, count: 5, hi: 5, lo: 5, created: 'x' });
      // $max on dates (checkpoints, "last event at")
      await c.updateOne({ _id: 'u' }, { $max: { at: new Date(5) } });
      await c.updateOne({ _id: 'u' }, { $max: { at: new Date(3) } });
      expect((await c.findOne({ _id: 'u' }))?.at).toEqual(new Date(5));
    });

    it('deleteMany, drop and listCollections', async () => {
      const c = db.collection<Doc>('to_drop');
      await c.insertMany([{ _id: 1, k: 'a' }, { _id: 2, k: 'b' }, { _id: 3, k: 'a' }]);
      expect((await c.deleteMany({ k: 'a' })).deletedCount).toBe(2);
      expect(await c.countDocuments()).toBe(1);
      const names = async () => (await db.listCollections({}, { nameOnly: true }).toArray()).map((x) => x.name);
      expect(await names()).toContain('to_drop');
      expect(await db.listCollections({ name: 'to_drop' }).toArray()).toHaveLength(1);
      expect(await c.drop()).toBe(true);
      expect(await names()).not.toContain('to_drop');
      // Dropping a missing collection: true on FerretDB and on MongoDB >= 7 (earlier MongoDB throw NamespaceNotFound).
      await expect(db.collection<Doc>('never_created').drop()).resolves.toBe(true);
      await db.createCollection('created_twice');
      expect(await failureOf(db.createCollection('created_twice'))).toMatchObject({ code: 48 });
      // A plain rename to a new name works (with dropTarget, it does not on FerretDB: see below).
      await db.collection<Doc>('created_twice').rename('renamed');
      expect(await names()).toEqual(expect.arrayContaining(['renamed']));
    });
  });

  describe('indexes and duplicate keys', () => {
    it('createIndexes: compound, unique, sparse and dotted-path indexes', async () => {
      const c = db.collection<Doc>('indexed');
      const created = await c.createIndexes([
        { key: { parentId: 1, kind: 1, rank: -1 }, name: 'parent_kind_rank' },
        { key: { email: 1 }, name: 'email_unique', unique: true },
        { key: { optional: 1 }, name: 'optional_sparse', sparse: true },
        { key: { 'unit.path': 1, createdAt: -1 }, name: 'unit_path_created' },
      ]);
      expect(created).toEqual(['parent_kind_rank', 'email_unique', 'optional_sparse', 'unit_path_created']);
      const indexes = await c.listIndexes().toArray();
      expect(indexes.map((i) => i.name).sort()).toEqual(['_id_', 'email_unique', 'optional_sparse', 'parent_kind_rank', 'unit_path_created']);
      expect(indexes.find((i) => i.name === 'email_unique')).toMatchObject({ unique: true, key: { email: 1 } });
      expect(indexes.find((i) => i.name === 'parent_kind_rank')?.key).toEqual({ parentId: 1, kind: 1, rank: -1 });
      // Creating the same index again is a no-op.
      await expect(c.createIndex({ email: 1 }, { name: 'email_unique', unique: true })).resolves.toBe('email_unique');
    });

    it('duplicate keys: 11000 on inserts and inserting upserts; updating an existing document into a unique conflict', async () => {
      const c = db.collection<Doc>('dups');
      await c.createIndex({ email: 1 }, { unique: true, name: 'email_unique' });
      await c.insertMany([{ _id: 1, email: 'a' }, { _id: 2, email: 'b' }]);

      expect(await failureOf(c.insertOne({ _id: 1, email: 'z' }))).toMatchObject({ code: 11000 });
      expect(await failureOf(c.insertOne({ _id: 3, email: 'a' }))).toMatchObject({ code: 11000 });
      expect(await failureOf(c.updateOne({ _id: 3 }, { $set: { email: 'a' } }, { upsert: true }))).toMatchObject({ code: 11000 });

      const updateExisting = await failureOf(c.updateOne({ _id: 2 }, { $set: { email: 'a' } }));
      const replaceExisting = await failureOf(c.replaceOne({ _id: 2 }, { email: 'a' }));
      const findAndModifyExisting = await failureOf(c.findOneAndUpdate({ _id: 2 }, { $set: { email: 'a' } }));
      for (const error of [updateExisting, replaceExisting, findAndModifyExisting]) {
        expect(isDuplicateKey(error)).toBe(true);
        expect(error.code).toBe(onFerretDb ? 1 : 11000);
      }
      expect(await c.find().sort({ _id: 1 }).toArray()).toEqual([{ _id: 1, email: 'a' }, { _id: 2, email: 'b' }]);
    });

    it('unordered bulk: a duplicate-key insert does not stop the other operations', async () => {
      const c = db.collection<Doc>('dups_bulk');
      await c.insertOne({ _id: 'a' });
      const error = await failureOf(c.insertMany([{ _id: 'x1' }, { _id: 'a' }, { _id: 'x2' }], { ordered: false }));
      expect(error).toMatchObject({ code: 11000 });
      expect(await c.countDocuments()).toBe(3);
    });

    ferretDbGap('known FerretDB gap: updating an existing document into a unique conflict aborts an unordered bulk (code 1)', async () => {
      const c = db.collection<Doc>('dups_bulk_abort');
      await c.createIndex({ email: 1 }, { unique: true });
      await c.insertMany([{ _id: 1, email: 'a' }, { _id: 2, email: 'b' }]);
      const error = await failureOf(
        c.bulkWrite(
          [
            { replaceOne: { filter: { _id: 10 }, replacement: { email: 'x' }, upsert: true } },
            { replaceOne: { filter: { _id: 2 }, replacement: { email: 'a' }, upsert: true } },
            { replaceOne: { filter: { _id: 11 }, replacement: { email: 'y' }, upsert: true } },
          ],
          { ordered: false },
        ),
      );
      expect(error).toMatchObject({ code: 1 });
      expect(error.message).toMatch(/UNIQUE constraint failed/);
      // MongoDB would have executed _id 11 as well.
      expect((await c.find().sort({ _id: 1 }).toArray()).map((d) => d._id)).toEqual([1, 2, 10]);
    });

    byServer('createIndexes of several indexes that all exist already: a no-op on MongoDB, a dropped connection on FerretDB (so the store creates only missing indexes, one by one there)', {
      mongodb: async () => {
        const c = db.collection<Doc>('recreate');
        const specs: IndexDescription[] = [{ key: { a: 1 }, name: 'a_1' }, { key: { b: 1 }, name: 'b_1' }];
        await c.createIndexes(specs);
        await expect(c.createIndexes(specs)).resolves.toEqual(['a_1', 'b_1']);
      },
      ferretdb: async () => {
        const probe = new MongoClient(getUrl(), { maxPoolSize: 1 });
        try {
          const c = probe.db().collection<Doc>('recreate');
          const specs: IndexDescription[] = [{ key: { a: 1 }, name: 'a_1' }, { key: { b: 1 }, name: 'b_1' }];
          await c.createIndexes(specs);
          expect(await failureOf(c.createIndexes(specs))).toBeDefined();
        } finally {
          await probe.close();
        }
      },
    });

    byServer('field names with a dot: stored on MongoDB, refused (code 2) on FerretDB (so unit quotas are stored as a list, not a map keyed by ids)', {
      mongodb: async () => {
        const c = db.collection<Doc>('dotted');
        await c.insertOne({ _id: 1, quotas: { 'cd.a': 3 } });
        expect(await c.findOne({ _id: 1 })).toEqual({ _id: 1, quotas: { 'cd.a': 3 } });
      },
      ferretdb: async () => {
        expect(await failureOf(db.collection<Doc>('dotted').insertOne({ _id: 1, quotas: { 'cd.a': 3 } }))).toMatchObject({ code: 2 });
      },
    });

    ferretDbGap('known FerretDB gap: partial, TTL, collation and text indexes', async () => {
      const c = db.collection<Doc>('index_gaps');
      await c.insertOne({ _id: 1 });
      const partial = await failureOf(c.createIndex({ p: 1 }, { partialFilterExpression: { p: { $exists: true } } }));
      expect(partial).toMatchObject({ code: 238 });
      expect(partial.message).toMatch(/partialFilterExpression/);
      expect(await failureOf(c.createIndex({ t: 1 }, { expireAfterSeconds: 60 }))).toMatchObject({ code: 238 });
      expect(await failureOf(c.createIndex({ s: 1 }, { collation: { locale: 'vi', strength: 1 } }))).toMatchObject({ code: 238 });
      expect(await failureOf(c.createIndex({ s: 'text' }))).toMatchObject({ code: 27 });
      expect(await failureOf(c.find({}).collation({ locale: 'vi' }).toArray())).toMatchObject({ code: 238 });
    });

    byServer('partial unique indexes: enforced on MongoDB, refused (238) on FerretDB', {
      mongodb: async () => {
        const c = db.collection<Doc>('partial');
        await c.createIndex({ p: 1 }, { unique: true, partialFilterExpression: { p: { $type: 'string' } } });
        await c.insertMany([{ _id: 1 }, { _id: 2 }, { _id: 3, p: 'x' }]);
        expect(await failureOf(c.insertOne({ _id: 4, p: 'x' }))).toMatchObject({ code: 11000 });
      },
      ferretdb: async () => {
        const c = db.collection<Doc>('partial');
        await c.insertOne({ _id: 1 });
        expect(await failureOf(c.createIndex({ p: 1 }, { unique: true, partialFilterExpression: { p: { $type: 'string' } } }))).toMatchObject({ code: 238 });
      },
    });
  });

  describe('queries', () => {
    interface Row {
      _id: string;
      score: number;
      unit: { province: string; code: number };
      status: 'open' | 'closed';
      createdAt: Date;
      amount: number;
    }
    const rows: Row[] = Array.from({ length: 30 }, (_, i) => ({
      _id: `id${String(i).padStart(2, '0')}`,
      score: i % 7,
      unit: { province: i % 3 === 0 ? 'HN' : 'HCM', code: i },
      status: i % 2 ? 'open' : 'closed',
      createdAt: new Date(Date.UTC(2030, 0, 1 + i)),
      amount: i * 10,
    }));
    const byScoreDescId = (a: Row, b: Row) => b.score - a.score || (a._id < b._id ? -1 : a._id > b._id ? 1 : 0);
    let c: Collection<Doc>;
    beforeAll(async () => {
      c = db.collection<Doc>('rows');
      await c.insertMany(rows.map((r) => ({ ...r })));
    });

    it('find: nested-field filter, range, 2-field sort, limit', async () => {
      const found = await c
        .find({ 'unit.province': 'HN', score: { $gte: 1, $lt: 6 }, createdAt: { $lt: new Date(Date.UTC(2030, 1, 1)) } })
        .sort({ score: -1, _id: 1 })
        .limit(3)
        .toArray();
      const expected = rows
        .filter((r) => r.unit.province === 'HN' && r.score >= 1 && r.score < 6 && r.createdAt < new Date(Date.UTC(2030, 1, 1)))
        .sort(byScoreDescId)
        .slice(0, 3);
      expect(found).toEqual(expected);
      expect(found.length).toBe(3);
    });

    it('cursor pagination with { $or: [{ a: { $lt: x } }, { a: x, _id: { $gt: y } }] } walks every row once, in order', async () => {
      const filter = { 'unit.province': 'HCM' };
      const expected = rows.filter((r) => r.unit.province === 'HCM').sort(byScoreDescId);
      const seen: Document[] = [];
      let after: { score: number; _id: string } | undefined;
      for (let page = 0; page < 20; page++) {
        const cursorFilter = after
          ? { ...filter, $or: [{ score: { $lt: after.score } }, { score: after.score, _id: { $gt: after._id } }] }
          : filter;
        const items = await c.find(cursorFilter).sort({ score: -1, _id: 1 }).limit(4).toArray();
        if (items.length === 0) break;
        seen.push(...items);
        const last = items[items.length - 1];
        after = { score: last.score as number, _id: last._id as unknown as string };
      }
      expect(seen).toEqual(expected);
    });

    it('$in (on _id and a nested field), $nin, $exists, countDocuments, distinct', async () => {
      expect((await c.find({ _id: { $in: ['id01', 'id05', 'nope'] } }).sort({ _id: 1 }).toArray()).map((d) => d._id)).toEqual([
        'id01',
        'id05',
      ]);
      expect(await c.countDocuments({ 'unit.code': { $in: [1, 2, 3, 99] } })).toBe(3);
      expect(await c.countDocuments({ status: { $nin: ['open'] } })).toBe(15);
      expect(await c.countDocuments({ status: 'open', score: { $gt: 3 } })).toBe(rows.filter((r) => r.status === 'open' && r.score > 3).length);
      expect(await c.countDocuments({ missing: { $exists: true } })).toBe(0);
      expect(await c.countDocuments()).toBe(30);
      expect((await c.distinct('unit.province')).sort()).toEqual(['HCM', 'HN']);
    });

    it('aggregate: $match + $group with one $sum accumulator, $sort, and $count', async () => {
      const counts = await c
        .aggregate([{ $match: { status: 'open' } }, { $group: { _id: '$unit.province', n: { $sum: 1 } } }, { $sort: { _id: 1 } }])
        .toArray();
      const open = rows.filter((r) => r.status === 'open');
      expect(counts).toEqual([
        { _id: 'HCM', n: open.filter((r) => r.unit.province === 'HCM').length },
        { _id: 'HN', n: open.filter((r) => r.unit.province === 'HN').length },
      ]);
      const totals = await c.aggregate([{ $match: { status: 'open' } }, { $group: { _id: null, total: { $sum: '$amount' } } }]).toArray();
      expect(totals).toEqual([{ _id: null, total: open.reduce((s, r) => s + r.amount, 0) }]);
      const byCompoundKey = await c
        .aggregate([{ $group: { _id: { p: '$unit.province', s: '$status' }, n: { $count: {} } } }, { $sort: { '_id.p': 1, '_id.s': 1 } }])
        .toArray();
      expect(byCompoundKey.map((g) => g.n)).toEqual([10, 10, 5, 5]);
      expect(await c.aggregate([{ $match: { 'unit.province': 'HCM' } }, { $count: 'n' }]).toArray()).toEqual([{ n: 20 }]);
      expect(await c.aggregate([{ $match: { 'unit.province': 'nowhere' } }, { $count: 'n' }]).toArray()).toEqual([]);
    });

    it('a $group with two accumulators: both right on MongoDB, only the first on FerretDB', async () => {
      const [group] = await c.aggregate([{ $group: { _id: null, n: { $sum: 1 }, total: { $sum: '$amount' } } }]).toArray();
      const expectedTotal = rows.reduce((s, r) => s + r.amount, 0);
      // Known FerretDB 1.24.2 bug (silently wrong): every accumulator after the first is 0.
      expect(group).toEqual({ _id: null, n: 30, total: onFerretDb ? 0 : expectedTotal });
    });

    ferretDbGap('known FerretDB gap: $lookup, $facet, $replaceRoot, accumulators other than $sum/$count, $expr, $add, field paths in $addFields', async () => {
      for (const pipeline of [
        [{ $lookup: { from: 'other', localField: 'a', foreignField: 'a', as: 'o' } }],
        [{ $facet: { a: [{ $count: 'n' }] } }],
        [{ $group: { _id: null, m: { $min: '$amount' } } }],
        [{ $group: { _id: null, f: { $first: '$amount' } } }],
        [{ $group: { _id: null, m: { $max: '$amount' } } }],
        [{ $group: { _id: null, a: { $avg: '$amount' } } }],
        [{ $group: { _id: null, p: { $push: '$amount' } } }],
        [{ $replaceRoot: { newRoot: '$unit' } }],
        [{ $addFields: { x: { $add: ['$amount', 1] } } }],
      ]) {
        expect(await failureOf(c.aggregate(pipeline).toArray())).toMatchObject({ code: 238 });
      }
      expect(await failureOf(c.countDocuments({ $expr: { $gt: ['$amount', 100] } }))).toMatchObject({ code: 238 });
      // Silently wrong: a field path in $addFields/$set is stored as a literal string.
      const [copied] = await c.aggregate([{ $match: { _id: 'id03' } }, { $addFields: { copy: '$amount' } }]).toArray();
      expect(copied.copy).toBe('$amount');
    });
  });

  describe('strings', () => {
    it('Vietnamese diacritics round-trip in values and _id; no Unicode normalisation (store NFC)', async () => {
      const c = db.collection<Doc>('strings');
      const title = 'Sáng kiến Đổi mới — Nguyễn Thị Ánh Tuyết: ữ ỹ ậ ặ ờ';
      await c.insertOne({ _id: 'Đà Nẵng', title });
      expect(await c.findOne({ title })).toEqual({ _id: 'Đà Nẵng', title });
      expect(await c.findOne({ _id: 'Đà Nẵng' })).toEqual({ _id: 'Đà Nẵng', title });
      expect(await c.countDocuments({ title: title.normalize('NFD') })).toBe(0);
      await c.insertOne({ _id: 'b', title: 'Bình Định' });
      expect((await c.find().sort({ title: 1 }).toArray()).map((d) => d._id)).toEqual(['b', 'Đà Nẵng']); // binary order
    });

    it('case-insensitive $regex on an ASCII-folded field', async () => {
      const c = db.collection<Doc>('search');
      await c.insertMany([
        { _id: 1, title: 'Sáng kiến đổi mới', titleFolded: 'sang kien doi moi' },
        { _id: 2, title: 'Trường học xanh', titleFolded: 'truong hoc xanh' },
        { _id: 3, title: 'Kiến trúc [xanh] (1+1)', titleFolded: 'kien truc [xanh] (1+1)' },
      ]);
      const ids = async (filter: Document) => (await c.find(filter).sort({ _id: 1 }).toArray()).map((d) => d._id);
      expect(await ids({ titleFolded: { $regex: 'KIEN', $options: 'i' } })).toEqual([1, 3]);
      expect(await ids({ titleFolded: /^SANG\s+kien/i })).toEqual([1]);
      expect(await ids({ titleFolded: { $regex: 'xanh', $options: 'i' }, _id: { $in: [2, 3] } })).toEqual([2, 3]);
      // User input must be escaped before going into a regex.
      const escaped = '[xanh] (1+1)'.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      expect(await ids({ titleFolded: { $regex: escaped, $options: 'i' } })).toEqual([3]);
    });
  });

  describe('64-bit integers', () => {
    it('with useBigInt64, bigint values beyond 2^53 round-trip, compare, $inc and $sum exactly', async () => {
      const bigClient = new MongoClient(getUrl(), { useBigInt64: true });
      try {
        const c = bigClient.db().collection<Doc>('money_bigint');
        await c.insertMany([
          { _id: 1, v: TWO_53 + 1n, max: MAX_INT64, neg: -(TWO_53 + 1n) },
          { _id: 2, v: TWO_53 + 2n },
          { _id: 3, v: TWO_53 },
        ]);
        expect(await c.findOne({ _id: 1 })).toEqual({ _id: 1, v: TWO_53 + 1n, max: MAX_INT64, neg: -(TWO_53 + 1n) });
        expect(await c.countDocuments({ v: { $type: 'long' } })).toBe(3);
        expect((await c.find({ v: TWO_53 + 1n }).toArray()).map((d) => d._id)).toEqual([1]);
        expect((await c.find({ v: { $gt: TWO_53 + 1n } }).toArray()).map((d) => d._id)).toEqual([2]);
        expect((await c.find().sort({ v: -1 }).toArray()).map((d) => d._id)).toEqual([2, 1, 3]);
        await c.updateOne({ _id: 1 }, { $inc: { v: 2n } });
        expect((await c.findOne({ _id: 1 }))?.v).toBe(TWO_53 + 3n);
        await c.updateOne({ _id: 3 }, { $max: { v: TWO_53 + 10n } });
        expect((await c.findOne({ _id: 3 }))?.v).toBe(TWO_53 + 10n);
        const [sum] = await c.aggregate([{ $group: { _id: null, total: { $sum: '$v' } } }]).toArray();
        expect(sum.total).toBe(3n * TWO_53 + 15n);
        // A small bigint is still an Int64 (and comes back as bigint), unlike a JS number.
        await c.insertOne({ _id: 4, v: 5n, n: 5 });
        expect(await c.findOne({ _id: 4 })).toEqual({ _id: 4, v: 5n, n: 5 });
      } finally {
        await bigClient.close();
      }
    });

    it('without useBigInt64: Long beyond 2^53 comes back as Long (exact), small Long as number; strings as a fallback', async () => {
      const c = db.collection<Doc>('money_long');
      await c.insertOne({ _id: 1, big: Long.fromBigInt(TWO_53 + 1n), small: Long.fromNumber(42), str: '123456789012345678901234567890' });
      const doc = await c.findOne({ _id: 1 });
      expect(doc?.big).toBeInstanceOf(Long);
      expect((doc?.big as Long).toBigInt()).toBe(TWO_53 + 1n);
      expect(doc?.small).toBe(42);
      expect(doc?.str).toBe('123456789012345678901234567890');
      // Overflow is refused, not wrapped.
      await c.updateOne({ _id: 1 }, { $set: { max: Long.fromBigInt(MAX_INT64) } });
      expect(await failureOf(c.updateOne({ _id: 1 }, { $inc: { max: Long.fromNumber(1) } }))).toMatchObject({ code: 2 });
    });

    ferretDbGap('known FerretDB gap: Decimal128 drops the connection', async () => {
      const { Decimal128 } = await import('mongodb');
      const throwaway = new MongoClient(getUrl(), { maxPoolSize: 1, retryWrites: false });
      try {
        const error = await failureOf(throwaway.db().collection<Doc>('decimal').insertOne({ _id: 1, v: Decimal128.fromString('1.5') }));
        expect(error.name).toBe('MongoNetworkError');
      } finally {
        await throwaway.close();
      }
    });
  });

  describe('lease (lock) with findOneAndUpdate upsert', () => {
    const lease = () => db.collection<Doc>('leases');
    const t0 = new Date('2030-01-01T00:00:00Z');
    const at = (ms: number) => new Date(t0.getTime() + ms);
    /** Acquire when free, expired, or already ours; returns the lease, or null when someone else holds it. */
    const acquire = async (owner: string, now: Date, ttlMs = 10_000, id = 'projector') => {
      try {
        return await lease().findOneAndUpdate(
          { _id: id, $or: [{ expiresAt: { $lte: now } }, { owner }] },
          { $set: { owner, expiresAt: new Date(now.getTime() + ttlMs) }, $inc: { fencingToken: 1 } },
          { upsert: true, returnDocument: 'after' },
        );
      } catch (error) {
        if (isDuplicateKey(error as Failure)) return null;
        throw error;
      }
    };

    it('acquires when free or expired, refuses a second owner while held, renews, releases', async () => {
      expect(await acquire('A', t0)).toEqual({ _id: 'projector', owner: 'A', expiresAt: at(10_000), fencingToken: 1 });
      const refusal = await failureOf(
        lease().findOneAndUpdate(
          { _id: 'projector', $or: [{ expiresAt: { $lte: at(5_000) } }, { owner: 'B' }] },
          { $set: { owner: 'B', expiresAt: at(15_000) } },
          { upsert: true, returnDocument: 'after' },
        ),
      );
      expect(refusal).toMatchObject({ code: 11000 }); // the upsert collides with the held lease's _id
      expect(await acquire('B', at(5_000))).toBeNull();
      expect(await acquire('A', at(5_000))).toMatchObject({ owner: 'A', expiresAt: at(15_000), fencingToken: 2 });
      expect(await acquire('B', at(14_999))).toBeNull();
      expect(await acquire('B', at(15_000))).toMatchObject({ owner: 'B', expiresAt: at(25_000), fencingToken: 3 });
      expect((await lease().deleteOne({ _id: 'projector', owner: 'A' })).deletedCount).toBe(0);
      expect((await lease().deleteOne({ _id: 'projector', owner: 'B' })).deletedCount).toBe(1);
      expect(await acquire('A', at(16_000))).toMatchObject({ owner: 'A', fencingToken: 1 });
    });

    it('includeResultMetadata tells an upsert from an update', async () => {
      const first = await lease().findOneAndUpdate(
        { _id: 'meta' },
        { $set: { owner: 'A' } },
        { upsert: true, returnDocument: 'after', includeResultMetadata: true },
      );
      expect(first.lastErrorObject).toMatchObject({ n: 1, updatedExisting: false, upserted: 'meta' });
      const second = await lease().findOneAndUpdate(
        { _id: 'meta' },
        { $set: { owner: 'B' } },
        { upsert: true, returnDocument: 'after', includeResultMetadata: true },
      );
      expect(second.lastErrorObject).toMatchObject({ n: 1, updatedExisting: true });
      expect(second.value).toEqual({ _id: 'meta', owner: 'B' });
    });

    it('concurrent acquirers of a free lease: exactly one wins, the others get a duplicate key', async () => {
      const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => acquire(`o${i}`, t0, 10_000, 'race-free')));
      const winners = results.filter((r) => r.status === 'fulfilled' && r.value);
      expect(winners).toHaveLength(1);
      expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    });

    byServer('acquirers of an EXPIRED lease: exactly one wins (concurrently on MongoDB; on FerretDB, not atomic, only one after the other)', {
      mongodb: async () => {
        await lease().insertOne({ _id: 'race-expired', owner: 'old', expiresAt: at(-1) });
        const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => acquire(`o${i}`, t0, 10_000, 'race-expired')));
        expect(results.filter((r) => r.status === 'fulfilled' && r.value)).toHaveLength(1);
        expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
      },
      ferretdb: async () => {
        await lease().insertOne({ _id: 'race-expired', owner: 'old', expiresAt: at(-1) });
        const results: unknown[] = [];
        for (let i = 0; i < 20; i++) results.push(await acquire(`o${i}`, t0, 10_000, 'race-expired'));
        expect(results.filter(Boolean)).toHaveLength(1);
      },
    });

    byServer('$inc on one document loses nothing (concurrently on MongoDB; on FerretDB, not atomic, only one after the other)', {
      mongodb: async () => {
        const c = db.collection<Doc>('counter');
        await c.insertOne({ _id: 'k', n: 0 });
        await Promise.all(Array.from({ length: 20 }, () => c.updateOne({ _id: 'k' }, { $inc: { n: 1 } })));
        expect((await c.findOne({ _id: 'k' }))?.n).toBe(20);
      },
      ferretdb: async () => {
        const c = db.collection<Doc>('counter');
        await c.insertOne({ _id: 'k', n: 0 });
        for (let i = 0; i < 20; i++) await c.updateOne({ _id: 'k' }, { $inc: { n: 1 } });
        expect((await c.findOne({ _id: 'k' }))?.n).toBe(20);
      },
    });
  });

  describe('not supported on FerretDB', () => {
    ferretDbGap('known FerretDB gap: transactions', async () => {
      const session = client.startSession();
      try {
        session.startTransaction();
        expect(await failureOf(db.collection<Doc>('tx').insertOne({ _id: 'x' }, { session }))).toMatchObject({ code: 9 });
        expect(await failureOf(session.commitTransaction())).toMatchObject({ code: 59 });
      } finally {
        await session.endSession();
      }
    });

    ferretDbGap('known FerretDB gap: change streams', async () => {
      const stream = db.collection<Doc>('watched').watch();
      try {
        expect(await failureOf(stream.tryNext())).toMatchObject({ code: 238 });
      } finally {
        await stream.close();
      }
    });

    ferretDbGap('known FerretDB gap: renameCollection with dropTarget', async () => {
      await db.collection<Doc>('rename_src').insertOne({ _id: 1 });
      await db.collection<Doc>('rename_dst').insertOne({ _id: 2 });
      expect(await failureOf(db.collection<Doc>('rename_src').rename('rename_dst', { dropTarget: true }))).toMatchObject({ code: 238 });
      expect(await failureOf(db.collection<Doc>('rename_src').rename('rename_dst'))).toMatchObject({ code: 48 });
    });
  });
});
