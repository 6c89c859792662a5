import { dirname, join, resolve } from 'node:path';
import type { Environment } from '@app/config';
import { eventStoreConfigFromEnv } from '@app/event-store';

export type ReadModelConfig = { kind: 'sqlite'; path: string } | { kind: 'memory' } | { kind: 'mongo'; url: string; database: string };

export interface ProjectorConfig {
  /** Run the projector inside this process (the embedded default) or leave it to apps/projector. */
  embedded: boolean;
  /** The embedded projector in a worker thread of the service (SQLite read models only), not on the thread that answers requests. */
  thread?: boolean;
  /**
   * The thread's heap limit, in MB. V8 lets a heap allowed 2 GB or more grow to four times what is
   * live between major collections, one allowed less to about twice: a national rebuild (482 MB
   * live) peaked at 4 GB of RSS with Node's default limit.
   */
  threadHeapMb?: number;
}

/** The projector thread's heap limit by default: under 2 GB (see ProjectorConfig.threadHeapMb), with room for a national rebuild's live state four times over. */
export const PROJECTOR_THREAD_HEAP_MB = 2000;

/**
 * READ_MODEL=sqlite|memory|mongo picks where the read models live; MONGO_URL alone implies mongo.
 * With nothing set they are in SQLite, in `read-models.db` beside the events' file (READ_MODEL_PATH
 * to put it elsewhere); `memory` rebuilds them in the heap at every start (small logs, tests).
 * PROJECTOR=off leaves the projection to a separate process (docker-compose runs apps/projector);
 * SQLite read models are projected in a worker thread of the service when the events are in SQLite
 * too (PROJECTOR_THREAD=main keeps the projector on the thread that answers requests).
 */
export function readModelConfigFromEnv(
  env: Pick<Environment, 'READ_MODEL' | 'READ_MODEL_PATH' | 'SQLITE_PATH' | 'MONGO_URL' | 'MONGO_DB' | 'PROJECTOR' | 'PROJECTOR_THREAD' | 'PROJECTOR_THREAD_HEAP_MB' | 'EVENT_STORE' | 'ESDB_URL'>,
): { readModel: ReadModelConfig; projector: ProjectorConfig } {
  const kind = env.READ_MODEL ?? (env.MONGO_URL ? 'mongo' : 'sqlite');
  const projector = { embedded: (env.PROJECTOR ?? 'embedded') !== 'off' };
  if (kind === 'memory' || kind === 'sqlite') {
    if (!projector.embedded) throw new Error(`READ_MODEL=${kind} needs the embedded projector (PROJECTOR=off is for a shared MongoDB)`);
    if (kind === 'memory') return { readModel: { kind }, projector };
    const path = resolve(env.READ_MODEL_PATH || join(dirname(resolve(env.SQLITE_PATH || './data/events.db')), 'read-models.db'));
    // The thread opens the events by their file: by default it runs wherever they are in one.
    const thread = env.PROJECTOR_THREAD ? env.PROJECTOR_THREAD === 'worker' : eventStoreConfigFromEnv(env).kind === 'sqlite';
    return { readModel: { kind, path }, projector: { ...projector, thread, ...(thread ? { threadHeapMb: env.PROJECTOR_THREAD_HEAP_MB ?? PROJECTOR_THREAD_HEAP_MB } : {}) } };
  }
  if (!env.MONGO_URL) throw new Error('READ_MODEL=mongo needs MONGO_URL (e.g. mongodb://localhost:27017)');
  return { readModel: { kind, url: env.MONGO_URL, database: env.MONGO_DB ?? 'one_million_initiatives' }, projector };
}
