import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@app/event-store';
import { describeWriteApi } from './write-api.e2e';

describeWriteApi('SQLite (embedded)', async () => new SqliteEventStore(join(mkdtempSync(join(tmpdir(), 'api-e2e-')), 'events.db')));
