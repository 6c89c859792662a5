import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { MemoryReadModelStore, SqliteGenerations, SqliteReadModelStore } from '@app/read-models';
import { turnsDuring } from '../support/event-loop-turns';
import { describeGenerationReadersContract } from './generation-readers.contract';
import { describeReadModelStoreContract } from './read-model-store.contract';
import { describeSameOrderAsMemory } from './same-order-as-memory';
import { projected, tieRichLog } from './tie-rich-log';

describeReadModelStoreContract('SQLite', async () => SqliteReadModelStore.open(':memory:'));
describeSameOrderAsMemory('SQLite', async () => SqliteReadModelStore.open(':memory:'));
describeGenerationReadersContract('SQLite', async () => new SqliteGenerations(':memory:'));

describe('SQLite read-model store', () => {
  const { changes, head } = projected(tieRichLog());
  const fileIn = () => join(mkdtempSync(join(tmpdir(), 'read-models-')), 'read-models.db');

  it('keeps documents and checkpoint in the file: a new process reads them back', async () => {
    const path = fileIn();
    const first = new SqliteGenerations(path);
    await first.makeLive({ generation: 1, version: 1 });
    await (await first.open(1)).write(changes, head);
    await first.close();
    const again = new SqliteGenerations(path);
    expect(await again.live()).toEqual({ generation: 1, version: 1 });
    const store = await again.open(1);
    expect(await store.checkpoint()).toBe(head);
    expect(await store.initiative(changes.initiatives[0].initiativeId)).toStrictEqual(changes.initiatives[0]);
    await again.close();
  });

  it("reads every initiative's key, page after page, each once", async () => {
    const store = SqliteReadModelStore.open(':memory:');
    const many = Array.from({ length: 2500 }, (_, i) => ({ ...changes.initiatives[0], initiativeId: `k${i}`, unitId: `cs-${i % 7}` }));
    await store.write({ progress: [], units: [], programs: [], initiatives: many }, head);
    const keys: { initiativeId: string; unitId: string }[] = [];
    for await (const key of store.initiativeKeys()) keys.push(key);
    expect(keys).toHaveLength(2500);
    expect(new Set(keys.map((k) => k.initiativeId)).size).toBe(2500);
    expect(keys.find((k) => k.initiativeId === 'k2498')).toEqual({ initiativeId: 'k2498', unitId: 'cs-6' });
    await store.close();
  });

  it('writes a small batch, documents and checkpoint, in one transaction: a write that fails leaves neither', async () => {
    const store = SqliteReadModelStore.open(':memory:');
    await store.write(changes, head);
    // The first row changes, the second cannot be written (the process dies with it, as it were).
    const unwritable = Object.defineProperty({ ...changes.progress[1] }, 'kind', { get: () => { throw new Error('died mid-write'); } });
    const before = await store.unitProgress(changes.progress[0].programId, changes.progress[0].unitId);
    await expect(store.write({ ...changes, progress: [{ ...changes.progress[0], counted: 999 }, unwritable] }, head + 5n)).rejects.toThrow('died mid-write');
    expect(await store.checkpoint()).toBe(head);
    expect(await store.unitProgress(changes.progress[0].programId, changes.progress[0].unitId)).toEqual(before);
    await store.close();
  });

  it('writes a large batch in parts, answering meanwhile, the checkpoint with the last part: one that dies leaves the old checkpoint', async () => {
    const store = SqliteReadModelStore.open(':memory:');
    await store.write(changes, head);
    const many = Array.from({ length: 1000 }, (_, i) => ({ ...changes.initiatives[0], initiativeId: `big${String(i).padStart(4, '0')}` }));
    const unwritable = Object.defineProperty({ ...changes.programs[0] }, 'programId', { get: () => { throw new Error('died mid-write'); } });
    // The programme is written in the last part: the initiatives' parts are already written when it fails.
    const { turns } = await turnsDuring(() => expect(store.write({ progress: [], units: [], initiatives: many, programs: [unwritable] }, head + 5n)).rejects.toThrow('died mid-write'));
    expect(turns).toBeGreaterThan(1);
    expect(await store.checkpoint()).toBe(head);
    // The projector's replay writes the batch again: it ends as one write would have left it.
    await store.write({ progress: [], units: [], initiatives: many, programs: changes.programs }, head + 5n);
    expect(await store.checkpoint()).toBe(head + 5n);
    expect(await store.initiativesById(many.map((d) => d.initiativeId))).toHaveLength(1000);
    expect((await store.initiatives({ unitId: many[0].unitPath[0], subtree: true, limit: 2000 })).items.length).toBe(1000 + changes.initiatives.filter((d) => d.unitPath[0] === many[0].unitPath[0]).length);
    await store.close();
  });

  it('keeps generations side by side under their prefixes, and drops one whole', async () => {
    const path = fileIn();
    const generations = new SqliteGenerations(path);
    await (await generations.open(1)).write(changes, head);
    const next = await generations.open(2);
    expect(await next.unit('prov')).toBeNull();
    await next.write(changes, head - 1n);
    expect(await generations.list()).toEqual([1, 2]);
    await generations.drop(1);
    expect(await generations.list()).toEqual([2]);
    expect(await next.checkpoint()).toBe(head - 1n);
    expect((await next.initiatives({ q: 'so hoa', limit: 100 })).items.length).toBeGreaterThan(0);
    await generations.close();
    const tables = new Database(path).prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE name LIKE 'g1\\_%' ESCAPE '\\'").all();
    expect(tables).toEqual([]);
  });

  it('hands one rebuild request to the writer once', async () => {
    const generations = new SqliteGenerations(fileIn());
    expect(await generations.takeRebuildRequest()).toBe(false);
    await generations.requestRebuild();
    expect(await generations.takeRebuildRequest()).toBe(true);
    expect(await generations.takeRebuildRequest()).toBe(false);
    await generations.publishRebuild({ state: 'running' });
    expect(await generations.publishedRebuild()).toEqual({ state: 'running' });
    await generations.close();
  });

  it("writes its batches while another connection writes beside it (readers' heartbeats): they wait for the lock, none fails", async () => {
    const path = fileIn();
    const generations = new SqliteGenerations(path);
    const store = await generations.open(1);
    await store.write(changes, head);
    // Another thread writes to the file as fast as it can for the whole time.
    const heartbeats = new Worker(
      `const Database = require('better-sqlite3');
       const { workerData, parentPort } = require('node:worker_threads');
       const db = new Database(workerData.path);
       db.pragma('busy_timeout = 5000');
       const beat = db.prepare("INSERT INTO read_model_readers (name, reader, generation, seen_at) VALUES ('progress', 'api', 1, ?) ON CONFLICT DO UPDATE SET seen_at = excluded.seen_at");
       parentPort.postMessage('started');
       let beats = 0;
       for (const until = Date.now() + workerData.ms; Date.now() < until; beats++) beat.run(Date.now());
       parentPort.postMessage(beats);`,
      { eval: true, workerData: { path, ms: 1500 } },
    );
    const messages: unknown[] = [];
    const ended = new Promise<void>((resolve, reject) => {
      heartbeats.on('message', (message) => messages.push(message));
      heartbeats.once('error', reject);
      heartbeats.once('exit', () => resolve());
    });
    while (messages.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    let batches = 0;
    for (const until = Date.now() + 1000; Date.now() < until; batches++) await store.write(changes, head + BigInt(batches));
    await ended;
    expect(messages[1]).toBeGreaterThan(100);
    expect(batches).toBeGreaterThan(10);
    expect(await store.checkpoint()).toBe(head + BigInt(batches - 1));
    await generations.close();
  });

  it("does not make a reader's thread wait while another connection writes: that heartbeat is skipped, the next one counts", async () => {
    const path = fileIn();
    const reader = new SqliteGenerations(path, 'progress', { checkpoints: false });
    const writer = new Database(path);
    writer.pragma('busy_timeout = 5000');
    writer.exec('BEGIN IMMEDIATE');
    const started = Date.now();
    expect(await reader.reading('api', 1)).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
    writer.exec('COMMIT');
    expect(await reader.reading('api', 1)).toBe(true);
    expect(await reader.generationsRead(60_000)).toEqual([1]);
    // Other writes still wait as before.
    expect(reader['db'].pragma('busy_timeout', { simple: true })).toBe(5000);
    writer.close();
    await reader.close();
  });
});

describe('SQLite search over many initiatives', () => {
  // More initiatives than the word probe takes, so that a word in most of them walks the order's index and a rare one uses the trigram set.
  const template = projected(tieRichLog()).changes.initiatives[0];
  const docs = Array.from({ length: 2600 }, (_, i) => {
    const title = i % 250 === 7 ? `Cải tiến quy trình ${i}` : `Sáng kiến số ${i}`;
    const submittedAt = new Date(Date.UTC(2022, 1, 1) + (i % 97) * 3_600_000).toISOString();
    return { ...template, initiativeId: `n${String(i).padStart(4, '0')}`, title, searchText: `${title.startsWith('Cải') ? 'cai tien quy trinh' : 'sang kien so'} ${i}`, submittedAt };
  });

  it.each([['sang kien'], ['cải tiến'], ['so 12'], ['quy trinh 7'], ['tien zzz']])('answers q=%s page by page exactly as the memory adapter', async (q) => {
    const sqlite = SqliteReadModelStore.open(':memory:');
    const memory = new MemoryReadModelStore();
    for (const store of [sqlite, memory]) await store.write({ progress: [], units: [], initiatives: docs, programs: [] }, 1n);
    const pages = async (store: SqliteReadModelStore | MemoryReadModelStore) => {
      const seen: string[][] = [];
      let cursor: string | undefined;
      for (let n = 0; n < 3; n++) {
        const page = await store.initiatives({ q, limit: 25, cursor });
        seen.push(page.items.map((d) => d.initiativeId));
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      return seen;
    };
    const expected = await pages(memory);
    if (q === 'tien zzz') expect(expected).toEqual([[]]);
    else expect(expected.flat().length).toBeGreaterThan(0);
    expect(await pages(sqlite)).toEqual(expected);
    await sqlite.close();
  });
});
