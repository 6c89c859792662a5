import { INestApplication } from '@nestjs/common';
import { SqliteEventStore } from '@app/event-store';
import { createTestApp } from './test-app';

/** The embedded default in memory (SQLite ':memory:', read models in an in-memory SQLite database), initialised, not listening, with an admin key (see `authorized`). */
export function embeddedApp(): Promise<INestApplication> {
  return createTestApp({ eventStore: { instance: new SqliteEventStore(':memory:') }, readModels: { readModel: { kind: 'sqlite', path: ':memory:' }, projector: { embedded: true } } });
}
