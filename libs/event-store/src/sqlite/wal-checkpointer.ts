import { Worker } from 'node:worker_threads';

/**
 * Plain JavaScript, run as the worker's source (a TypeScript module could not be loaded by a worker
 * under the test runner). A connection that cannot checkpoint (the file system turned read-only, a
 * disk error) is opened again at the next tick: a fresh one writes once the volume is back.
 */
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.sqlite);
let db;
let reported = false;
setInterval(() => {
  try {
    if (!db) {
      db = new Database(workerData.path, { fileMustExist: true });
      db.pragma('synchronous = ' + workerData.synchronous);
    }
    db.pragma('wal_checkpoint(PASSIVE)');
    reported = false;
  } catch (error) {
    try { db && db.close(); } catch {}
    db = undefined;
    if (!reported) parentPort.postMessage(String((error && error.message) || error));
    reported = true;
  }
}, workerData.everyMs);
`;

/**
 * Checkpoints a SQLite file's write-ahead log from a thread of its own, every `everyMs`. SQLite
 * checkpoints by itself at the end of whichever commit grows the WAL past its threshold (1,000
 * pages): it copies the WAL into the file and waits for the disk, and under a sustained write (a
 * reorganisation's moves re-rendering documents, a rebuild beside the live read models) that commit,
 * and every request waiting behind it on the thread, took up to a few hundred milliseconds. A
 * passive checkpoint from another connection copies what no reader still needs while the writer
 * goes on. Each writing connection keeps a threshold of its own beside it, set where the file is
 * opened: the read models' a safety net (READ_MODELS_WAL_PAGES), the events' lower (EVENTS_WAL_PAGES:
 * fsynced commits into a WAL that never rewinds).
 */
export class WalCheckpointer {
  private worker?: Worker;

  constructor(
    path: string,
    options: { synchronous: 'FULL' | 'NORMAL'; everyMs?: number; onError?: (message: string) => void },
  ) {
    this.worker = new Worker(SOURCE, { eval: true, workerData: { path, synchronous: options.synchronous, everyMs: options.everyMs ?? 500, sqlite: require.resolve('better-sqlite3') } });
    this.worker.on('message', (message: string) => options.onError?.(message));
    // A worker that fails leaves the writing connections' own checkpoints in charge.
    this.worker.on('error', (error) => options.onError?.(error.message));
    this.worker.unref();
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }
}
