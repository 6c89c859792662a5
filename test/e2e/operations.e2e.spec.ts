import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { MongoClient } from 'mongodb';
import { SqliteEventStore } from '@app/event-store';
import { MongoGenerations } from '@app/read-models';
import { EsdbEventStore } from '@app/event-store';
import { adminTokenOf, createTestApp } from '../support/test-app';
import { FIRST_ADMIN_SUBJECT } from '../../apps/api/src/auth/auth-startup';
import { startEsdbTestServer } from '../esdb-test-server';
import { BAC_KAN_PROGRAM, initiativeBody, unitBody } from '../support/bac-kan';
import { describeWithMongo } from '../support/mongo-target';
import { BUILT_API, freePort, ServiceProcess } from '../support/service-process';

jest.setTimeout(240_000);

const EMBEDDED = { EVENT_STORE: 'sqlite', READ_MODEL: 'memory', MONGO_URL: '', ESDB_URL: '', LOG_LEVEL: 'info', LOG_FORMAT: '' };

/** The admin key of each service under test, by its URL: the built service writes its first one beside its events. */
const tokens = new Map<string, string>();
const started = async (service: ServiceProcess, eventsPath: string): Promise<ServiceProcess> => {
  await service.start();
  tokens.set(service.url, readFileSync(join(dirname(eventsPath), 'admin-api-key'), 'utf8').trim());
  return service;
};

/** Every HTTP request of this file goes through here (credentials are added in one place). */
const send = (base: string, path: string, init: { body?: unknown; headers?: Record<string, string> } = {}) =>
  fetch(`${base}${path}`, {
    method: init.body === undefined ? 'GET' : 'POST',
    headers: {
      ...(tokens.has(base) ? { authorization: `Bearer ${tokens.get(base)}` } : {}),
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...init.headers,
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });

function startWith(env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) =>
    execFile(process.execPath, [BUILT_API], { env: { ...process.env, ...EMBEDDED, ...env }, timeout: 90_000 }, (error, _stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stderr }),
    ),
  );
}

describe('the built service as operators run it (embedded default)', () => {
  it('refuses to start on a bad PORT or MONGO_URL, naming the variable and what it accepts', async () => {
    const port = await startWith({ PORT: 'eighty' });
    expect(port.code).toBe(1);
    expect(port.stderr).toContain('PORT must be a port number (an integer 0–65535), not "eighty"');
    const mongo = await startWith({ PORT: '0', MONGO_URL: 'localhost:27017' });
    expect(mongo.code).toBe(1);
    expect(mongo.stderr).toContain('MONGO_URL must be a mongodb:// or mongodb+srv:// URL');
    expect(mongo.stderr).not.toMatch(/\n\s+at /);
  });

  it('logs one JSON line per request with method, route template, status, duration, correlation id and subject', async () => {
    const events = join(mkdtempSync(join(tmpdir(), 'ops-')), 'events.db');
    const service = await started(new ServiceProcess(await freePort(), { ...EMBEDDED, SQLITE_PATH: events }), events);
    try {
      const response = await send(service.url, '/units/no-such-unit', { headers: { 'x-correlation-id': 'corr-ops-1', 'x-actor': 'mallory' } });
      expect(response.status).toBe(404);
      expect(response.headers.get('x-correlation-id')).toBe('corr-ops-1');
      await new Promise((resolve) => setTimeout(resolve, 200));
      const lines = service.log.trim().split('\n');
      const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(records.find((r) => r.correlationId === 'corr-ops-1')).toMatchObject({
        method: 'GET',
        route: '/units/:id',
        status: 404,
        durationMs: expect.any(Number),
        subject: FIRST_ADMIN_SUBJECT,
        msg: 'request completed',
      });
      expect(service.log).not.toContain('mallory');
      // The secret is what follows `omi_<keyId>_`: base64url, so it may hold '_' itself (splitting at the last '_' once left "E").
      const secret = /^omi_[a-z0-9]{16}_(.{43})$/.exec(tokens.get(service.url)!)![1];
      expect(service.log).not.toContain(secret);
    } finally {
      await service.kill();
    }
  });

  it('answers /health/live, /health/ready, /metrics, /openapi.json and /docs', async () => {
    const events = join(mkdtempSync(join(tmpdir(), 'ops-')), 'events.db');
    const service = await started(new ServiceProcess(await freePort(), { ...EMBEDDED, SQLITE_PATH: events }), events);
    try {
      await expectOperable(service.url);
    } finally {
      await service.kill();
    }
  });
});

/** What every deployment answers, whatever its stores. */
export async function expectOperable(url: string): Promise<void> {
  expect(await (await send(url, '/health/live')).json()).toMatchObject({ status: 'ok' });
  // Readiness probes each store with a 2 s budget, and the projector writes what the start appended a moment later:
  // on a busy machine, ask until it answers with nothing left to project (bounded).
  let ready = await send(url, '/health/ready');
  let body = (await ready.json()) as { details?: { projector?: { lag?: string } } };
  for (let attempt = 0; (ready.status !== 200 || body.details?.projector?.lag !== '0') && attempt < 20; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    ready = await send(url, '/health/ready');
    body = (await ready.json()) as typeof body;
  }
  expect(ready.status).toBe(200);
  expect(body).toMatchObject({ status: 'ok', details: { eventStore: { status: 'up' }, readModelStore: { status: 'up' }, projector: { status: 'up', lag: '0' } } });
  expect((await send(url, '/programs', { body: BAC_KAN_PROGRAM })).status).toBe(201);
  const metrics = await (await send(url, '/metrics')).text();
  expect(metrics).toMatch(/omi_http_request_duration_seconds_count\{route="\/programs",method="POST",status="201"\} 1/);
  expect(metrics).toMatch(/omi_commands_total\{command="LaunchProgram",outcome="accepted"\} 1/);
  expect(metrics).toMatch(/omi_events_appended_total\{command="LaunchProgram"\} 1/);
  expect(metrics).toMatch(/omi_projector_lag_events \d+/);
  expect(metrics).toMatch(/omi_process_resident_memory_bytes \d+/);
  expect(metrics).not.toContain('bk-2022');
  expect(((await (await send(url, '/openapi.json')).json()) as { openapi: string }).openapi).toMatch(/^3\./);
  expect((await send(url, '/docs/')).status).toBe(200);
}

describeWithMongo('SIGTERM under load (built service, SQLite events, MongoDB read models)', (getUrl) => {
  it('finishes the requests in flight, stores every acknowledged command, and leaves the checkpoint at the last flushed position', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'sigterm-')), 'events.db');
    const database = new URL(getUrl()).pathname.slice(1);
    const service = await started(new ServiceProcess(await freePort(), { ...EMBEDDED, READ_MODEL: 'mongo', MONGO_URL: getUrl(), MONGO_DB: database, SQLITE_PATH: path }), path);
    expect((await send(service.url, '/programs', { body: BAC_KAN_PROGRAM })).status).toBe(201);
    expect((await send(service.url, '/units', { body: unitBody('prov', 'province', null, 1000) })).status).toBe(201);
    const load = Array.from({ length: 60 }, (_, i) => send(service.url, '/initiatives', { body: initiativeBody(`term-${i}`, 'prov') }).then((r) => (r.status === 201 ? `term-${i}` : undefined), () => undefined));
    await new Promise((resolve) => setTimeout(resolve, 30));
    const code = await service.terminate();
    const acknowledged = (await Promise.all(load)).filter((id): id is string => id !== undefined);
    expect(code).toBe('SIGTERM');
    expect(acknowledged.length).toBeGreaterThan(0);
    expect(service.log).toContain('SIGTERM: finishing the requests in flight');

    const events = new SqliteEventStore(path);
    const client = await MongoClient.connect(getUrl());
    try {
      const log = await events.readAll();
      const stored = new Set(log.filter((e) => e.type === 'InitiativeSubmitted').map((e) => e.data.initiativeId));
      for (const id of acknowledged) expect({ id, stored: stored.has(id) }).toEqual({ id, stored: true });
      const generations = new MongoGenerations(client.db(database));
      const live = (await generations.live())!;
      const checkpoint = await (await generations.open(live.generation)).checkpoint();
      expect(checkpoint).toBe(await events.headPosition());
      expect(service.log).toContain(`Projector stopped with its checkpoint at position ${checkpoint}`);
    } finally {
      await events.close();
      await client.close();
    }
  });
});

describeWithMongo('probes, metrics and the API description on the production pair', (getUrl) => {
  it('answers them on the EventStoreDB protocol test server (or ESDB_URL) and MongoDB wire', async () => {
    const server = process.env.ESDB_URL ? undefined : await startEsdbTestServer({ statsPeriodMs: 50 });
    const client = await MongoClient.connect(getUrl());
    const app = await createTestApp({
      eventStore: { instance: EsdbEventStore.connect(process.env.ESDB_URL ?? server!.url) },
      readModels: { readModel: { generations: new MongoGenerations(client.db()) }, projector: { embedded: true } },
    });
    try {
      await app.listen(0, '127.0.0.1');
      const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
      tokens.set(url, adminTokenOf(app));
      await expectOperable(url);
    } finally {
      await app.close();
      await client.close();
      await server?.stop();
    }
  });
});
