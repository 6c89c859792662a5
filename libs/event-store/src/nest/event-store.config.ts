import { resolve } from 'node:path';
import type { Environment } from '@app/config';

export type EventStoreConfig = { kind: 'sqlite'; path: string } | { kind: 'esdb'; url: string };

/**
 * EVENT_STORE=esdb|sqlite picks the adapter; with nothing set the embedded SQLite store is used
 * with a file under ./data/, so a new user needs no server. ESDB_URL alone implies esdb.
 */
export function eventStoreConfigFromEnv(env: Pick<Environment, 'EVENT_STORE' | 'SQLITE_PATH' | 'ESDB_URL'>): EventStoreConfig {
  const kind = env.EVENT_STORE ?? (env.ESDB_URL ? 'esdb' : 'sqlite');
  if (kind === 'sqlite') return { kind, path: resolve(env.SQLITE_PATH ?? './data/events.db') };
  if (!env.ESDB_URL) throw new Error('EVENT_STORE=esdb needs ESDB_URL (e.g. esdb://localhost:2113?tls=false)');
  return { kind, url: env.ESDB_URL };
}
