import { dirname, join, resolve } from 'node:path';

export type KeyStoreConfig = { kind: 'sqlite'; path: string } | { kind: 'mongo'; url: string; db: string };

export interface PersonalDataConfig {
  keyStore: KeyStoreConfig;
  /** Base64 of 32 bytes; absent, the key is kept in `masterKeyFile`, generated on first start. */
  masterKey?: string;
  masterKeyFile: string;
}

/**
 * PERSONAL_DATA_KEY_STORE=sqlite|mongo (default: mongo when MONGO_URL is set, beside the read
 * models; else a SQLite file next to the event store's). PERSONAL_DATA_MASTER_KEY, else the key
 * file PERSONAL_DATA_MASTER_KEY_FILE in the data directory.
 */
export function personalDataConfigFromEnv(env: NodeJS.ProcessEnv = process.env): PersonalDataConfig {
  const dataDir = dirname(resolve(env.SQLITE_PATH ?? './data/events.db'));
  const kind = env.PERSONAL_DATA_KEY_STORE ?? (env.MONGO_URL ? 'mongo' : 'sqlite');
  let keyStore: KeyStoreConfig;
  if (kind === 'sqlite') keyStore = { kind, path: resolve(env.PERSONAL_DATA_KEY_STORE_PATH ?? join(dataDir, 'personal-data-keys.db')) };
  else if (kind === 'mongo') {
    if (!env.MONGO_URL) throw new Error('PERSONAL_DATA_KEY_STORE=mongo needs MONGO_URL');
    keyStore = { kind, url: env.MONGO_URL, db: env.MONGO_DB ?? 'one_million_initiatives' };
  } else throw new Error(`PERSONAL_DATA_KEY_STORE must be "sqlite" or "mongo", not "${kind}"`);
  return {
    keyStore,
    ...(env.PERSONAL_DATA_MASTER_KEY ? { masterKey: env.PERSONAL_DATA_MASTER_KEY } : {}),
    masterKeyFile: resolve(env.PERSONAL_DATA_MASTER_KEY_FILE ?? join(dataDir, 'personal-data-master.key')),
  };
}
