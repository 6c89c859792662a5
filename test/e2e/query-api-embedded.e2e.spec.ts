import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@app/event-store';
import { MemoryGenerations } from '@app/read-models';
import { describeQueryApi } from './query-api.e2e';

describeQueryApi('SQLite events, in-memory read models (the embedded default)', {
  openEvents: async () => new SqliteEventStore(join(mkdtempSync(join(tmpdir(), 'query-e2e-')), 'events.db')),
  openReadModels: async () => new MemoryGenerations(),
});
