import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@app/event-store';
import { SqliteGenerations } from '@app/read-models';
import { describeQueryApi } from './query-api.e2e';

describeQueryApi('SQLite events, SQLite read models (the embedded default)', {
  openEvents: async () => new SqliteEventStore(join(mkdtempSync(join(tmpdir(), 'query-e2e-')), 'events.db')),
  openReadModels: async () => new SqliteGenerations(join(mkdtempSync(join(tmpdir(), 'query-e2e-')), 'read-models.db')),
});
