import { INestApplication } from '@nestjs/common';
import { SqliteEventStore } from '@app/event-store';
import { createApp } from '../../apps/api/src/bootstrap';

/** The embedded default in memory (SQLite ':memory:', in-memory read models), initialised, not listening. */
export async function embeddedApp(): Promise<INestApplication> {
  const app = await createApp({ eventStore: { instance: new SqliteEventStore(':memory:') }, readModels: { readModel: { kind: 'memory' }, projector: { embedded: true } } });
  await app.init();
  return app;
}
