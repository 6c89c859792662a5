import { INestApplication } from '@nestjs/common';
import { SqliteEventStore } from '@app/event-store';
import { authorized, createTestApp } from '../support/test-app';
import { BAC_KAN_PROGRAM } from '../support/bac-kan';

/** /health/ready says what is wrong, as a problem, and turns 503 as soon as a store fails. */
describe('readiness on the embedded default', () => {
  let app: INestApplication;
  let events: SqliteEventStore;
  const api = () => authorized(app);

  beforeAll(async () => {
    events = new SqliteEventStore(':memory:');
    app = await createTestApp({ eventStore: { instance: events }, readModels: { readModel: { kind: 'sqlite', path: ':memory:' }, projector: { embedded: true } }, readiness: { maxLagEvents: 0 } });
  });
  afterAll(async () => {
    await app?.close().catch(() => undefined);
  });

  it('is ready with the head, the checkpoint and the lag, and counts the probes under their route', async () => {
    await api().post('/programs').send(BAC_KAN_PROGRAM).expect(201);
    // With a lag bound of 0, ready only once the projector has applied the launch: ask until then (bounded).
    let ready = await api().get('/health/ready');
    for (let attempt = 0; ready.status !== 200 && attempt < 50; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      ready = await api().get('/health/ready');
    }
    expect(ready.status).toBe(200);
    expect(ready.body.details).toMatchObject({ eventStore: { status: 'up', head: String(await events.headPosition()) }, projector: { status: 'up', state: 'live', lag: '0', maxLag: '0' } });
    const metrics = await api().get('/metrics').expect(200);
    expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
    expect(metrics.text).toMatch(/omi_http_request_duration_seconds_count\{route="\/health\/ready",method="GET",status="200"\} 1/);
  });

  it('refuses a malformed id with a message that says which letters it takes', async () => {
    const response = await api().get('/units/b%C3%A1c-k%E1%BA%A1n').expect(400);
    expect(response.body.errors).toEqual([{ field: 'path:id', message: 'must be an id of 1–64 ASCII letters, digits, ".", "_" or "-", starting with an ASCII letter or digit' }]);
  });

  it('answers 503 NOT_READY naming the failed check when the event store is gone', async () => {
    await events.close();
    const response = await api().get('/health/ready').expect(503);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['retry-after']).toBe('1');
    expect(response.body).toMatchObject({ code: 'NOT_READY', checks: { eventStore: { status: 'down', message: expect.any(String) } } });
    await api().get('/health/live').expect(200);
  });
});
