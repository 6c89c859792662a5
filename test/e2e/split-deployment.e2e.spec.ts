import { INestApplication } from '@nestjs/common';
import { MongoClient } from 'mongodb';
import { SqliteEventStore } from '@app/event-store';
import { MongoGenerations, MongoLease, ProjectionManager } from '@app/read-models';
import { authorized, createTestApp } from '../support/test-app';
import { BAC_KAN_PROGRAM, initiativeBody, unitBody } from '../support/bac-kan';
import { describeWithMongo } from '../support/mongo-target';

jest.setTimeout(120_000);

/**
 * How long the old generation outlives the last reader that read it. The API may take seconds to
 * follow the pointer on FerretDB under CI load: a fixed grace from the switch was seen to drop the
 * old generation under it (a 404), so the projector now waits for the API to say it has followed.
 */
const DROP_GRACE_MS = 1_000;

/**
 * The production split: an API that only reads (PROJECTOR=off) beside a projector process (here a
 * ProjectionManager in the same test process, as apps/projector runs it), sharing MongoDB. A rebuild
 * asked of the API is carried out by the projector; the API follows its switch.
 */
describeWithMongo('API beside a separate projector', (getUrl) => {
  let client: MongoClient;
  let events: SqliteEventStore;
  let projector: ProjectionManager;
  let app: INestApplication;
  let last = '0';
  const http = () => authorized(app);

  beforeAll(async () => {
    client = await MongoClient.connect(getUrl());
    events = new SqliteEventStore(':memory:');
    // The API starts first, as docker compose may start it: it waits for the projector's first generation.
    const api = createTestApp({ eventStore: { instance: events }, readModels: { readModel: { generations: new MongoGenerations(client.db()) }, projector: { embedded: false } } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    projector = await ProjectionManager.start(events, new MongoGenerations(client.db()), { writer: true, lease: new MongoLease(client.db()), pointerRefreshMs: 100, dropGraceMs: DROP_GRACE_MS });
    app = await api;
    await app.init();
    for (const [path, body] of [
      ['/programs', BAC_KAN_PROGRAM],
      ['/units', unitBody('prov', 'province', null, 100)],
      ['/units', unitBody('na-ri', 'district', 'prov', 1000)],
      ['/initiatives', initiativeBody('sk1', 'na-ri')],
    ] as const) {
      const response = await http().post(path).send(body).expect(201);
      last = response.body.position;
    }
    await http().post('/initiatives/sk1/approve').send({ decisionRef: 'QĐ 1', approvedAt: '2022-05-01T03:00:00Z' }).expect(200);
  });
  afterAll(async () => {
    await app?.close();
    await projector?.stop();
    await client?.close();
  });

  it('reads what the projector process writes, with read-your-writes', async () => {
    const response = await http().get('/initiatives/sk1').query({ minPosition: last }).expect(200);
    expect(response.body).toMatchObject({ initiativeId: 'sk1', unitPath: ['prov', 'na-ri'] });
  });

  it('asks the projector for a rebuild, answers queries throughout, and follows the switch', async () => {
    const asked = await http().post('/admin/projections/progress/rebuild').send({}).expect(202);
    expect(asked.body).toMatchObject({ state: 'requested', generation: 2 });
    await http().post('/admin/projections/progress/rebuild').send({}).expect(409);
    let status;
    do {
      await http().get('/units/na-ri/progress').query({ programId: 'bk-2022' }).expect(200);
      status = (await http().get('/admin/projections').expect(200)).body.items[0];
    } while (status.rebuild?.state !== 'done' || status.generation !== 2);
    expect(status).toMatchObject({ state: 'live', generation: 2, rebuild: { generation: 2, state: 'done' } });
    expect((await projector.status()).generation).toBe(2);
    const rows = (await http().get('/units/prov/progress').query({ programId: 'bk-2022' }).expect(200)).body.items;
    expect(rows.find((r: { phaseId: string }) => r.phaseId === 'p1')).toMatchObject({ counted: 1, approved: 1 });
    // The old generation outlives the switch long enough for readers to follow, then goes.
    const generations = new MongoGenerations(client.db());
    const deadline = Date.now() + DROP_GRACE_MS + 10_000;
    while ((await generations.list()).length > 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await generations.list()).toEqual([2]);
  });
});
