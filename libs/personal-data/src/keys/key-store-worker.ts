import { KeyObject } from 'node:crypto';
import { Worker } from 'node:worker_threads';

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
function seal(key, plaintext, associatedData) {
  const iv = randomFillSync(Buffer.alloc(12));
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const ciphertext = cipher.update(plaintext);
  cipher.final();
  return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64');
}
parentPort.on('message', ({ job, count, wrapping }) => {
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
 * checkpoints (the other fsyncs of the file). The worker writes nothing but new spare rows, which no
 * other writer touches.
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

  /** Copies the WAL's pages into the file as far as no reader needs them (a passive checkpoint). */
  async checkpoint(): Promise<void> {
    const reply = await this.send({});
    if (reply.error !== undefined) throw new Error(`the key store could not be checkpointed: ${reply.error}`);
  }

  private send(message: { count?: number; wrapping?: KeyObject }): Promise<Reply> {
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
