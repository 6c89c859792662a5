import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@app/event-store';
import { loadMasterKey, personalDataConfigFromEnv, SqliteKeyStore } from '@app/personal-data';
import { MemoryGenerations } from '@app/read-models';
import { describePersonalData } from './personal-data.e2e';

jest.setTimeout(60_000);

const dataDir = mkdtempSync(join(tmpdir(), 'personal-data-e2e-'));
const config = personalDataConfigFromEnv({ SQLITE_PATH: join(dataDir, 'events.db') });
const files = () => readdirSync(dataDir).map((name) => join(dataDir, name));

describePersonalData('SQLite events, SQLite key store, in-memory read models (the embedded default)', {
  openEvents: async () => new SqliteEventStore(join(dataDir, 'events.db')),
  openKeys: async () => ({ keyStore: new SqliteKeyStore((config.keyStore as { path: string }).path), masterKey: loadMasterKey(undefined, config.masterKeyFile) }),
  openReadModels: async () => new MemoryGenerations(),
  storedBytes: async () => Buffer.concat(files().filter((file) => file.includes('events.db')).map((file) => readFileSync(file))),
  filesBytes: () => files().map((file) => readFileSync(file)),
});

describe('the embedded key files', () => {
  it('are readable by the service user only', () => {
    for (const file of [config.masterKeyFile, (config.keyStore as { path: string }).path]) expect((statSync(file).mode & 0o777).toString(8)).toBe('600');
  });
});
