import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@app/event-store';
import { describeEventStoreContract } from './event-store.contract';

const dir = mkdtempSync(join(tmpdir(), 'es-contract-'));
let n = 0;
describeEventStoreContract('SQLite (embedded)', async () => new SqliteEventStore(join(dir, `events-${n++}.db`)));
