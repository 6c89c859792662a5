import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@app/event-store';
import { MemoryGenerations } from '@app/read-models';
import { describeReorganisation } from './reorganisation.e2e';

jest.setTimeout(60_000);

const path = join(mkdtempSync(join(tmpdir(), 'reorganisation-e2e-')), 'events.db');

describeReorganisation('SQLite events and in-memory read models (the embedded default)', {
  openEvents: async () => new SqliteEventStore(path),
  openReadModels: async () => new MemoryGenerations(),
});
