import { KeyObject } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { SpareKey } from './key-store.port';

/** A spare key as made off the thread: its clear bytes, which only this process ever holds. */
export interface MadeSpare {
  keyId: string;
  wrappedKey: string;
  key: Buffer;
}

/**
 * Plain JavaScript, run as the worker's source: a TypeScript module could not be loaded by a
 * worker under the test runner. The box is sealed-box.ts's (`iv ‖ tag ‖ ciphertext`, base64, the
 * key id as associated data), so that LocalMasterKey.unwrap opens what this wraps.
 */
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createCipheriv, randomFillSync, randomUUID } = require('node:crypto');
const Database = require(workerData.sqlite);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 5000');
const insert = db.prepare('INSERT INTO data_keys (key_id, subject, wrapped_key) VALUES (?, ?, ?)');
const insertAll = db.transaction((keyIds, wrapped) => {
  for (let i = 0; i < keyIds.length; i++) insert.run(keyIds[i], workerData.sparePrefix + keyIds[i], wrapped[i]);
});
const assign = db.prepare('UPDATE OR IGNORE data_keys SET subject = ? WHERE key_id = ? AND subject = ?');
const use = db.prepare('INSERT OR IGNORE INTO key_uses (key_id, stream_id) VALUES (?, ?)');
const keep = db.prepare('INSERT INTO recovery (id, position) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET position = excluded.position');
const writeAll = db.transaction((spares, records, uses, position) => {
  for (let i = 0; i < spares.length; i += 2) insert.run(spares[i], workerData.sparePrefix + spares[i], spares[i + 1]);
  for (let i = 0; i < records.length; i += 2) assign.run(records[i], records[i + 1], workerData.sparePrefix + records[i + 1]);
  for (let i = 0; i < uses.length; i += 2) use.run(uses[i], uses[i + 1]);
  if (position !== undefined) keep.run(position);
});
function seal(key, plaintext, associatedData) {
  const iv = randomFillSync(Buffer.alloc(12));
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const ciphertext = cipher.update(plaintext);
  cipher.final();
  return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64');
}
parentPort.on('message', ({ job, count, wrapping, spares, records, uses, position }) => {
  if (records !== undefined) {
    // Assignments and uses: the log holds them too (see SqliteKeyStore.flush), so no fsync of their own; spares wait for the disk.
    const durable = spares.length > 0;
    try {
      if (!durable) db.pragma('synchronous = NORMAL');
      try {
        writeAll.immediate(spares, records, uses, position);
      } finally {
        if (!durable) db.pragma('synchronous = FULL');
      }
      parentPort.postMessage({ job });
    } catch (error) {
      parentPort.postMessage({ job, error: String(error && error.message || error) });
    }
    return;
  }
  if (count === undefined) {
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
      parentPort.postMessage({ job });
    } catch (error) {
      parentPort.postMessage({ job, error: String(error && error.message || error) });
    }
    return;
  }
  const material = new Uint8Array(32 * count);
  try {
    randomFillSync(material);
    const keyIds = [];
    const wrapped = [];
    for (let i = 0; i < count; i++) {
      keyIds.push(randomUUID());
      wrapped.push(seal(wrapping, material.subarray(i * 32, (i + 1) * 32), keyIds[i]));
    }
    insertAll.immediate(keyIds, wrapped);
    parentPort.postMessage({ job, keyIds, wrapped, material: material.buffer }, [material.buffer]);
  } catch (error) {
    material.fill(0);
    parentPort.postMessage({ job, error: String(error && error.message || error) });
  }
});
`;

interface Reply {
  job: number;
  keyIds?: string[];
  wrapped?: string[];
  material?: ArrayBuffer;
  error?: string;
}

/**
 * The disk work of a SQLite key store file, in a worker thread, so that the thread serving
 * commands waits for none of it: making spare keys (drawing, wrapping, and the durable write: one
 * transaction, `synchronous = FULL`; a batch is answered only once it is on disk) and the WAL's
 * checkpoints (the other fsyncs of the file), and the writes of who got which key (see
 * SqliteKeyStore.flush). Jobs run one after the other, in the order they were sent.
 */
export class KeyStoreWorker {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, { resolve: (reply: Reply) => void; reject: (error: Error) => void }>();
  private readonly waiters: (() => void)[] = [];
  private jobs = 0;

  constructor(
    private readonly path: string,
    private readonly sparePrefix: string,
  ) {}

  async make(count: number, wrapping: KeyObject): Promise<MadeSpare[]> {
    const reply = await this.send({ count, wrapping });
    if (reply.error !== undefined) throw new Error(`spare keys could not be made: ${reply.error}`);
    const material = Buffer.from(reply.material!);
    return reply.keyIds!.map((keyId, i) => ({ keyId, wrappedKey: reply.wrapped![i]!, key: material.subarray(i * 32, (i + 1) * 32) }));
  }

  /**
   * Writes who got which key (`records`: subject, key id, …), which streams use which key (`uses`:
   * key id, stream id, …) and the recovery position, in one transaction: without an fsync unless it
   * also writes spare keys (made by the caller), which are on disk before it resolves.
   */
  async write(records: readonly string[], uses: readonly string[], position: string | undefined, spares: readonly SpareKey[] = []): Promise<void> {
    const reply = await this.send({ records, uses, position, spares: spares.flatMap(({ keyId, wrappedKey }) => [keyId, wrappedKey]) });
    if (reply.error !== undefined) throw new Error(`the key store's assignments could not be written: ${reply.error}`);
  }

  /** Copies the WAL's pages into the file as far as no reader needs them (a passive checkpoint). */
  async checkpoint(): Promise<void> {
    const reply = await this.send({});
    if (reply.error !== undefined) throw new Error(`the key store could not be checkpointed: ${reply.error}`);
  }

  private send(message: { count?: number; wrapping?: KeyObject; records?: readonly string[]; uses?: readonly string[]; position?: string | undefined; spares?: readonly string[] }): Promise<Reply> {
    const worker = (this.worker ??= this.start());
    const job = ++this.jobs;
    return new Promise((resolve, reject) => {
      this.pending.set(job, { resolve, reject });
      worker.ref();
      worker.postMessage({ job, ...message });
    });
  }

  /** Resolves once the worker has nothing to do: what the store does next does not meet its writes. */
  idle(): Promise<void> {
    if (this.pending.size === 0) return Promise.resolve();
    return new Promise((done) => this.waiters.push(done));
  }

  async close(): Promise<void> {
    await this.idle();
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private start(): Worker {
    const worker = new Worker(SOURCE, { eval: true, workerData: { path: this.path, sqlite: require.resolve('better-sqlite3'), sparePrefix: this.sparePrefix } });
    worker.on('message', (reply: Reply) => this.answer(reply));
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = undefined;
      for (const { reject } of this.pending.values()) reject(error);
      this.pending.clear();
      this.settled();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the key store's worker stopped (exit code ${code})`)));
    worker.unref();
    return worker;
  }

  private answer(reply: Reply): void {
    const waiting = this.pending.get(reply.job);
    this.pending.delete(reply.job);
    // Between jobs the worker keeps no process alive: close() ends it, and an exit loses nothing.
    if (this.pending.size === 0) this.worker?.unref();
    waiting?.resolve(reply);
    this.settled();
  }

  private settled(): void {
    if (this.pending.size > 0) return;
    for (const done of this.waiters.splice(0)) done();
  }
}
