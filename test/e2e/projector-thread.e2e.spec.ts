import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ERASED_PLACEHOLDER } from '@app/domain';
import { BAC_KAN_PROGRAM, initiativeBody, unitBody } from '../support/bac-kan';
import { freePort, ServiceProcess } from '../support/service-process';

jest.setTimeout(240_000);

/**
 * The built service with its embedded projector in a worker thread (PROJECTOR_THREAD=worker): the
 * thread is the read models' one writer, the main thread answers and reads. What a user sees must
 * be what the main-thread projector gives: their own writes at once, erasures kept, rebuilds,
 * metrics, and a shutdown that keeps the checkpoint.
 */
describe('the embedded projector in a worker thread', () => {
  const dir = mkdtempSync(join(tmpdir(), 'projector-thread-'));
  const env = { EVENT_STORE: 'sqlite', READ_MODEL: 'sqlite', MONGO_URL: '', ESDB_URL: '', LOG_LEVEL: 'info', LOG_FORMAT: '', SQLITE_PATH: join(dir, 'events.db'), PROJECTOR_THREAD: 'worker' };
  let service: ServiceProcess;
  let token: string;
  let head = '0';

  /** `expected`: the status asked for; absent, any success. */
  const send = async (path: string, body?: unknown, expected?: number) => {
    const response = await fetch(`${service.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await response.json()) as Record<string, unknown>;
    if (expected ? response.status !== expected : !response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(json)}`);
    if (typeof json.position === 'string') head = json.position;
    return json;
  };
  /** Read-your-writes: at least as fresh as the last command's position. */
  const fresh = (path: string) => send(`${path}${path.includes('?') ? '&' : '?'}minPosition=${head}`);
  const provinceFigures = async (read = fresh) => ((await read('/units/bk-prov/progress?programId=bk-2022')) as { items: Record<string, unknown>[] }).items;

  beforeAll(async () => {
    service = new ServiceProcess(await freePort(), env);
    await service.start();
    token = readFileSync(join(dir, 'admin-api-key'), 'utf8').trim();
    await send('/programs', BAC_KAN_PROGRAM);
    await send('/units', unitBody('bk-prov', 'province', null, 1000));
    await send('/units', unitBody('bk-cd1', 'grassroots', 'bk-prov', 200));
    const xuyen = { name: 'Lương Thị Xuyến', memberNo: 'CD-0042' };
    await send('/initiatives', initiativeBody('tt-1', 'bk-cd1', { authors: [xuyen, 'Hà Văn Tư'], benefitValue: 7_000_000 }));
    await send('/initiatives', initiativeBody('tt-2', 'bk-cd1', { authors: [xuyen], benefitValue: 5_000_000 }));
    await send('/initiatives', initiativeBody('tt-3', 'bk-cd1', { authors: ['Nông Văn Dền'], benefitValue: 3_000_000 }));
    for (const id of ['tt-1', 'tt-2']) await send(`/initiatives/${id}/approve`, { decisionRef: 'QĐ 12/HĐSK', approvedAt: '2022-05-10T09:00:00+07:00' });
  });

  afterAll(async () => {
    await service.kill();
  });

  it("answers a client's reads with its own writes, figures and names as projected in the thread", async () => {
    const [p1] = await provinceFigures();
    // 5 % of the 1,200 members of the province and its union.
    expect(p1).toMatchObject({ phaseId: 'p1', quota: 60, submitted: 3, approved: 2, pending: 1, counted: 2, benefitValue: '12000000' });
    const found = (await fresh('/initiatives?programId=bk-2022&q=xuyen')) as { items: { initiativeId: string; authors: string[] }[] };
    expect(found.items.map((i) => i.initiativeId).sort()).toEqual(['tt-1', 'tt-2']);
    expect(found.items.find((i) => i.initiativeId === 'tt-1')!.authors).toEqual(['Lương Thị Xuyến', 'Hà Văn Tư']);
  });

  it('shows an erasure made on the main thread, and a rebuild in the thread does not bring the name back', async () => {
    await send('/admin/personal-data/erasures', { memberNo: 'CD-0042', documentRef: 'Đơn ngày 02/01/2026', reason: 'Yêu cầu xoá dữ liệu cá nhân' });
    expect(((await fresh('/initiatives/tt-1')) as { authors: string[] }).authors).toEqual([ERASED_PLACEHOLDER, 'Hà Văn Tư']);
    const before = await provinceFigures();

    await send('/admin/projections/progress/rebuild', {}, 202);
    const deadline = Date.now() + 60_000;
    let status: { generation: number; rebuild: { state: string } | null } | undefined;
    while (Date.now() < deadline) {
      status = ((await send('/admin/projections')) as { items: (typeof status)[] }).items[0];
      if (status?.rebuild?.state === 'done' && status.generation === 2) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(status).toMatchObject({ generation: 2, state: 'live', rebuild: { state: 'done' } });
    expect(await provinceFigures()).toEqual(before);
    expect(((await send('/initiatives/tt-2')) as { authors: string[] }).authors).toEqual([ERASED_PLACEHOLDER]);
    expect(((await send('/initiatives?programId=bk-2022&q=xuyen')) as { items: unknown[] }).items).toEqual([]);
  });

  it("reports the thread's batches in /metrics and is ready", async () => {
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    const batches = /^omi_projector_batch_events_count (\d+)$/m.exec(metrics);
    expect(Number(batches?.[1])).toBeGreaterThan(0);
    expect((await fetch(`${service.url}/health/ready`)).status).toBe(200);
  });

  it('stops on SIGTERM with its checkpoint at the head, and starts again on the same figures', async () => {
    const before = await provinceFigures();
    expect(await service.terminate()).toBe('SIGTERM');
    expect(service.log).toContain(`Projector stopped with its checkpoint at position ${head}`);
    await service.start();
    expect(await provinceFigures(send)).toEqual(before);
    await send('/initiatives/tt-3/approve', { decisionRef: 'QĐ 13/HĐSK', approvedAt: '2022-05-20T09:00:00+07:00' });
    expect((await provinceFigures())[0]).toMatchObject({ approved: 3, counted: 3, benefitValue: '15000000' });
  });
});

describe('a failure of the projector in its thread', () => {
  it('shows in /health/ready and /admin/projections, and the service still stops on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'projector-thread-failure-'));
    const service = new ServiceProcess(await freePort(), { EVENT_STORE: 'sqlite', READ_MODEL: 'sqlite', MONGO_URL: '', ESDB_URL: '', LOG_LEVEL: 'info', LOG_FORMAT: '', SQLITE_PATH: join(dir, 'events.db'), PROJECTOR_THREAD: 'worker' });
    await service.start();
    try {
      const token = readFileSync(join(dir, 'admin-api-key'), 'utf8').trim();
      const get = (path: string) => fetch(`${service.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      expect((await get('/health/ready')).status).toBe(200);
      // An event the projection cannot read (its data is not JSON), written under the service as a broken tool would.
      const file = new Database(join(dir, 'events.db'));
      file.prepare('INSERT INTO events (event_id, stream_id, revision, type, data, metadata) VALUES (?, ?, 0, ?, ?, ?)').run(randomUUID(), 'initiative-ghost', 'InitiativeSubmitted', '{not json', '{}');
      file.close();
      let ready = await get('/health/ready');
      for (const deadline = Date.now() + 20_000; ready.status === 200 && Date.now() < deadline; ready = await get('/health/ready')) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(ready.status).toBe(503);
      expect(JSON.stringify(await ready.json())).toContain('the projection failed');
      expect(((await (await get('/admin/projections')).json()) as { items: { state: string }[] }).items[0]!.state).toBe('failed');
      expect(service.log).toContain('Projection: ');
    } finally {
      expect(await service.terminate()).toBe('SIGTERM');
    }
  });
});
