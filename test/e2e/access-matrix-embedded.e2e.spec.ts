import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@app/event-store';
import { MemoryGenerations } from '@app/read-models';
import { describeAccessMatrix } from './access-matrix';

describeAccessMatrix('SQLite events, in-memory read models (the embedded default)', {
  openEvents: async () => new SqliteEventStore(join(mkdtempSync(join(tmpdir(), 'access-')), 'events.db')),
  openReadModels: async () => new MemoryGenerations(),
});
