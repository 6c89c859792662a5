import { EsdbEventStore, StoredEvent } from '@app/event-store';
import { EsdbTestServer, startEsdbTestServer } from '../esdb-test-server';
import { authorized, createTestApp } from '../support/test-app';
import { BAC_KAN_PROGRAM, initiativeBody, unitBody } from '../support/bac-kan';

jest.setTimeout(60_000);

/**
 * EventStoreDB goes away under the service (the server stops, its port refuses connections) and
 * comes back: what needs the log answers 503 with Retry-After, as for a full disk, never a 500;
 * once the server is back the same commands succeed, once.
 */
describe('EventStoreDB unreachable under the service (protocol test server stopped mid-suite)', () => {
  it('answers commands and log reads 503 EVENT_STORE_UNAVAILABLE with Retry-After while the server is gone, and recovers when it is back', async () => {
    let server: EsdbTestServer = await startEsdbTestServer({ statsPeriodMs: 0 });
    const port = Number(/:(\d+)\?/.exec(server.url)![1]);
    const store = EsdbEventStore.connect(server.url);
    const app = await createTestApp({ eventStore: { instance: store }, readModels: { readModel: { kind: 'memory' }, projector: { embedded: true } } });
    const api = () => authorized(app);
    try {
      await api().post('/programs').send(BAC_KAN_PROGRAM).expect(201);
      await api().post('/units').send(unitBody('bk', 'province', null, 12_000)).expect(201);
      await api().post('/initiatives').send(initiativeBody('before', 'bk')).expect(201);

      await server.stop();
      const unavailable = (response: { status: number; body: { code?: string }; headers: Record<string, string> }) => [response.status, response.body.code, response.headers['retry-after']];
      for (const key of ['gone-1', 'gone-2']) {
        expect(unavailable(await api().post('/initiatives').set('Idempotency-Key', key).send(initiativeBody(key, 'bk')))).toEqual([503, 'EVENT_STORE_UNAVAILABLE', '5']);
      }
      expect(unavailable(await api().post('/units/bk/members').send({ memberCount: 12_500, effectiveOn: '2022-06-01' }))).toEqual([503, 'EVENT_STORE_UNAVAILABLE', '5']);
      // Reads of the log itself (a unit's verification, its chains) need the server too.
      expect(unavailable(await api().get(`/units/bk/verify?programId=${BAC_KAN_PROGRAM.id}`))).toEqual([503, 'EVENT_STORE_UNAVAILABLE', '5']);
      expect(unavailable(await api().get(`/units/bk/integrity?programId=${BAC_KAN_PROGRAM.id}`))).toEqual([503, 'EVENT_STORE_UNAVAILABLE', '5']);
      // A read of the read models (a unit, its history journal) answers while the grants authentication read from the log are fresh, then 503 too: never a 500.
      const unit = await api().get('/units/bk');
      if (unit.status === 200) expect(unit.body).toMatchObject({ unitId: 'bk' });
      else expect(unavailable(unit)).toEqual([503, 'EVENT_STORE_UNAVAILABLE', '5']);
      const history = await api().get(`/units/bk/history?programId=${BAC_KAN_PROGRAM.id}`);
      if (history.status === 200) expect(history.body).toMatchObject({ unitId: 'bk', items: expect.any(Array) });
      else expect(unavailable(history)).toEqual([503, 'EVENT_STORE_UNAVAILABLE', '5']);
      // Health says so too, without authentication.
      expect((await api().get('/health/ready')).status).toBe(503);

      // The server is back, on the same address with the same log: the retries land, each once.
      server = await startEsdbTestServer({ statsPeriodMs: 0, port, log: server.log });
      const deadline = Date.now() + 30_000;
      let retry = await api().post('/initiatives').set('Idempotency-Key', 'gone-1').send(initiativeBody('gone-1', 'bk'));
      while (retry.status === 503 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        retry = await api().post('/initiatives').set('Idempotency-Key', 'gone-1').send(initiativeBody('gone-1', 'bk'));
      }
      expect(retry.status).toBe(201);
      await api().post('/initiatives').set('Idempotency-Key', 'gone-2').send(initiativeBody('gone-2', 'bk')).expect(201);
      await api().get(`/units/bk/history?programId=${BAC_KAN_PROGRAM.id}`).expect(200);
      const submitted = (await store.readAll()).filter((e: StoredEvent) => e.type === 'InitiativeSubmitted').map((e) => e.data.initiativeId);
      expect(submitted).toEqual(['before', 'gone-1', 'gone-2']);
    } finally {
      await app.close();
      await server.stop();
    }
  });
});
