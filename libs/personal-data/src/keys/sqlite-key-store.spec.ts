import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isSealedValue, PersonalDataCodec } from '../personal-data-codec';
import { spareSubject } from './key-store.port';
import { LocalMasterKey } from './master-key';
import { SqliteKeyStore } from './sqlite-key-store';

describe('SqliteKeyStore spare keys', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'omi-keys-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const rows = (path: string): Map<string, { subject: string; wrapped_key: string }> => {
    const db = new Database(path, { readonly: true });
    try {
      return new Map(db.prepare<[], { key_id: string; subject: string; wrapped_key: string }>('SELECT * FROM data_keys').all().map((row) => [row.key_id, row]));
    } finally {
      db.close();
    }
  };

  it('are made in a worker thread, on disk before they are answered, wrapped so that the master key opens them', async () => {
    const path = join(dir, 'keys.db');
    const store = new SqliteKeyStore(path);
    const master = new LocalMasterKey(randomBytes(32));
    const made = await store.makeSpares!(16, master.localWrappingKey);
    const onDisk = rows(path);
    expect(made).toHaveLength(16);
    expect(new Set(made.map((spare) => spare.key.toString('hex'))).size).toBe(16);
    for (const spare of made) {
      expect(onDisk.get(spare.keyId)).toEqual({ key_id: spare.keyId, subject: spareSubject(spare.keyId), wrapped_key: spare.wrappedKey });
      expect((await master.unwrap(spare.wrappedKey, spare.keyId)).equals(spare.key)).toBe(true);
    }
    await store.close();
  });

  it('fail the batch whose write failed, and the next batch is written', async () => {
    const path = join(dir, 'keys.db');
    const store = new SqliteKeyStore(path);
    const master = new LocalMasterKey(randomBytes(32));
    const [taken] = await store.makeSpares!(1, master.localWrappingKey);
    const other = new Database(path);
    other.prepare('INSERT INTO data_keys (key_id, subject, wrapped_key) VALUES (?, ?, ?)').run('blocker', 'blocker', 'x');
    other.exec("CREATE TRIGGER refuse BEFORE INSERT ON data_keys BEGIN SELECT RAISE(ABORT, 'refused'); END");
    await expect(store.makeSpares!(4, master.localWrappingKey)).rejects.toThrow(/spare keys could not be made: refused/);
    other.exec('DROP TRIGGER refuse');
    other.close();
    const next = await store.makeSpares!(4, master.localWrappingKey);
    expect([...rows(path).keys()].sort()).toEqual(['blocker', taken!.keyId, ...next.map((spare) => spare.keyId)].sort());
    await store.close();
  });

  it('keep assignments whose write in the worker failed: answered meanwhile, and in the file once writing works again', async () => {
    const path = join(dir, 'keys.db');
    const store = new SqliteKeyStore(path);
    const master = new LocalMasterKey(randomBytes(32));
    const spares = await store.makeSpares!(2, master.localWrappingKey);
    const other = new Database(path);
    other.exec("CREATE TRIGGER refuse BEFORE UPDATE ON data_keys BEGIN SELECT RAISE(ABORT, 'disk refused'); END");
    const records = spares.map(({ keyId, wrappedKey }, i) => ({ keyId, wrappedKey, subject: `member-${i}` }));
    await store.save(records, records.map(({ subject }, i) => ({ subject, streamId: `initiative-sk-${i}` })));
    // The worker's write comes within FLUSH_MS (200 ms), and fails.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect([...rows(path).values()].map((row) => row.subject).sort()).toEqual(spares.map((spare) => spareSubject(spare.keyId)).sort());
    expect(await store.findBySubject('member-0')).toEqual(records[0]);
    other.exec('DROP TRIGGER refuse');
    other.close();
    await store.close();
    const reopened = new SqliteKeyStore(path);
    expect(await reopened.findBySubject('member-1')).toEqual(records[1]);
    expect(await reopened.streamsOf(spares[0]!.keyId)).toEqual(['initiative-sk-0']);
    await reopened.close();
  });

  it('leave the checkpoints of the file to the worker: what this thread wrote reaches the file without a checkpoint of its own', async () => {
    const path = join(dir, 'keys.db');
    const store = new SqliteKeyStore(path);
    const master = new LocalMasterKey(randomBytes(32));
    const spares = await store.makeSpares!(1_100, master.localWrappingKey);
    const before = statSync(path).size;
    await store.save(
      spares.map(({ keyId, wrappedKey }, i) => ({ keyId, wrappedKey, subject: `subject-${i}` })),
      spares.map((_, i) => ({ subject: `subject-${i}`, streamId: `initiative-sk-${i}` })),
    );
    expect(await store.streamsOf(spares[0]!.keyId)).toEqual(['initiative-sk-0']);
    // Jobs run in order: this batch is made once the checkpoint asked by the write above is done.
    await store.makeSpares!(1, master.localWrappingKey);
    expect(statSync(path).size).toBeGreaterThan(before);
    expect(rows(path).get(spares[1_099]!.keyId)?.subject).toBe('subject-1099');
    await store.close();
  });

  it('are made by the codec itself for an in-memory store, which a worker could not open', async () => {
    const store = new SqliteKeyStore(':memory:');
    expect(store.makeSpares).toBeUndefined();
    await store.close();
  });

  it('seal every person of a codec under a key already on disk, past the first batches', async () => {
    const path = join(dir, 'keys.db');
    const store = new SqliteKeyStore(path);
    const codec = new PersonalDataCodec(store, new LocalMasterKey(randomBytes(32)));
    const authors = Array.from({ length: 2_500 }, (_, i) => `Tác giả ${i}`);
    const keyIds: string[] = [];
    for (let i = 0; i < authors.length; i += 50) {
      const [event] = await codec.encode(`initiative-sk-${i}`, [{ id: `e-${i}`, type: 'InitiativeSubmitted', data: { initiativeId: `sk-${i}`, authors: authors.slice(i, i + 50) }, metadata: { actor: 'test', recordedAt: '2022-06-01T03:00:00.000Z', correlationId: 'c', schemaVersion: 1 } }]);
      const sealed = (event!.data.authors as unknown[]).filter(isSealedValue);
      expect(sealed).toHaveLength(50);
      const onDisk = rows(path);
      for (const value of sealed) {
        expect(onDisk.has(value.$personal)).toBe(true);
        keyIds.push(value.$personal);
      }
    }
    expect(new Set(keyIds).size).toBe(authors.length);
    await store.close();
  });
});
