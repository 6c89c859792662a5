import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ACCESS_EVENT_TYPES, accessEventCodec, domainEventCodec, PERSONAL_DATA_ERASED } from '@app/domain';
import { BOOKKEEPING_EVENT_TYPES, SqliteEventStore } from '@app/event-store';
import { BAC_KAN_PROGRAM, initiativeBody, unitBody } from '../support/bac-kan';
import { freePort, ServiceProcess } from '../support/service-process';

jest.setTimeout(60_000);

let token = '';
const get = (url: string) => fetch(url, { headers: { authorization: `Bearer ${token}` } });
const post = (base: string, path: string, body: unknown) =>
  fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });

describe('the embedded service killed with SIGKILL (built service, real process)', () => {
  it('keeps every acknowledged event, writes no half operation, and its read models (SQLite, the default) resume on restart where they stopped', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'crash-')), 'events.db');
    const service = new ServiceProcess(await freePort(), { SQLITE_PATH: path, EVENT_STORE: 'sqlite', READ_MODEL: '', READ_MODEL_PATH: '', MONGO_URL: '', ESDB_URL: '' });
    await service.start();
    try {
      // The first start of an empty store makes the first admin key, readable by its owner only, and says where (never what) it is.
      const keyFile = join(dirname(path), 'admin-api-key');
      token = readFileSync(keyFile, 'utf8').trim();
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
      expect(service.log).toContain(keyFile);
      expect(service.log).not.toContain(token);
      expect((await fetch(`${service.url}/units/prov`)).status).toBe(401);
      expect((await post(service.url, '/programs', BAC_KAN_PROGRAM)).status).toBe(201);
      expect((await post(service.url, '/units', unitBody('prov', 'province', null, 1000))).status).toBe(201);
      const acknowledged: string[] = [];
      for (let i = 0; i < 40; i++) {
        const response = await post(service.url, '/initiatives', initiativeBody(`ack-${i}`, 'prov'));
        expect(response.status).toBe(201);
        acknowledged.push(`ack-${i}`);
      }
      // Requests still in flight when the process dies: each must be entirely there or entirely absent.
      const inFlight = Array.from({ length: 30 }, (_, i) => post(service.url, '/initiatives', initiativeBody(`flight-${i}`, 'prov')).catch(() => undefined));
      await new Promise((resolve) => setTimeout(resolve, 5));
      await service.kill();
      await Promise.all(inFlight);

      await service.start();
      for (const id of acknowledged) {
        const response = await get(`${service.url}/initiatives/${id}`);
        expect({ id, status: response.status }).toEqual({ id, status: 200 });
      }
      const progress = (await (await get(`${service.url}/units/prov/progress?programId=bk-2022`)).json()) as { items: { phaseId: string; submitted: number }[] };
      const submitted = progress.items.find((r) => r.phaseId === 'all')!.submitted;
      expect(submitted).toBeGreaterThanOrEqual(40);
      const flightFound = new Map<string, boolean>();
      for (let i = 0; i < 30; i++) flightFound.set(`flight-${i}`, (await get(`${service.url}/initiatives/flight-${i}`)).status === 200);
      // The last commands' keys were on disk before their events; who got them was still in memory
      // when the process died, and the restart took it back from the log: each found initiative's
      // authors read in clear, and an erasure finds the author there.
      const lastFound = [...acknowledged, ...[...flightFound].filter(([, found]) => found).map(([id]) => id)].pop()!;
      const { authors } = initiativeBody(lastFound, 'prov');
      expect(((await (await get(`${service.url}/initiatives/${lastFound}`)).json()) as { authors: unknown }).authors).toEqual(authors);
      const erasure = await post(service.url, '/admin/personal-data/erasures', { initiativeId: lastFound, author: authors[0], documentRef: 'Đơn 1', reason: 'Yêu cầu' });
      expect({ status: erasure.status, body: await erasure.json() }).toMatchObject({ status: 201, body: { initiatives: [lastFound] } });
      // The service goes on where it stopped: a new command on an old stream gets the next revision.
      expect((await post(service.url, `/initiatives/ack-0/approve`, { decisionRef: 'QĐ 1' })).status).toBe(200);
      await service.kill();

      const store = new SqliteEventStore(path);
      try {
        const log = await store.readAll();
        expect(log.map((e) => e.position)).toEqual(log.map((_, i) => BigInt(i + 1)));
        // Every event reads back as a whole event of today's schema (the first admin key and its grant are access events).
        const isAccess = (type: string) => (ACCESS_EVENT_TYPES as readonly string[]).includes(type);
        expect(log.filter((e) => isAccess(e.type)).map((e) => accessEventCodec.decode(e).type)).toEqual(['ApiKeyCreated', 'RoleGranted']);
        // The erasure asked after the restart is the one event of its kind; every other is the programme's or the aggregate store's own bookkeeping (the claims on a unit's guard).
        expect(log.filter((e) => e.type === PERSONAL_DATA_ERASED)).toHaveLength(1);
        const decoded = log.filter((e) => !isAccess(e.type) && e.type !== PERSONAL_DATA_ERASED && !BOOKKEEPING_EVENT_TYPES.includes(e.type)).map((e) => domainEventCodec.decode(e));
        const initiatives = decoded.flatMap((e) => (e.type === 'InitiativeSubmitted' ? [e.data.initiativeId] : []));
        expect(initiatives).toHaveLength(submitted);
        expect(new Set(initiatives).size).toBe(initiatives.length);
        // An in-flight request is in the log exactly when the restarted service knows the initiative.
        for (const [id, found] of flightFound) expect({ id, inLog: initiatives.includes(id) }).toEqual({ id, inLog: found });
      } finally {
        await store.close();
      }
    } finally {
      await service.kill();
    }
  });
});
