import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { SqliteEventStore } from '@app/event-store';
import { adminTokenOf, authorized, createTestApp } from '../support/test-app';
import { setServerTimeouts, SERVER_TIMEOUTS } from '../../apps/api/src/common/http-server-limits';
import { MAX_BODY_BYTES, MAX_PLAN_BODY_BYTES } from '../../apps/api/src/common/json-limits';
import { BAC_KAN_PROGRAM, initiativeBody, unitBody } from '../support/bac-kan';

/**
 * Malformed requests, as a careless client or an attacker sends them: each is a 4xx problem+json,
 * names what is wrong, and writes nothing.
 */
/** Short enough for the timeout tests to be quick, long enough for eight 1 MB bodies on a busy machine. */
const SHORT_TIMEOUTS = { ...SERVER_TIMEOUTS, headersTimeoutMs: 2_000, requestTimeoutMs: 2_000, checkIntervalMs: 100 };

describe('bad input on the embedded default', () => {
  let app: INestApplication;
  let store: SqliteEventStore;
  let port: number;
  const api = () => authorized(app);

  beforeAll(async () => {
    store = new SqliteEventStore(join(mkdtempSync(join(tmpdir(), 'bad-input-')), 'events.db'));
    app = await createTestApp({ eventStore: { instance: store }, readModels: { readModel: { kind: 'sqlite', path: ':memory:' }, projector: { embedded: true } } });
    setServerTimeouts(app.getHttpServer() as Server, SHORT_TIMEOUTS);
    await app.listen(0, '127.0.0.1');
    port = ((app.getHttpServer() as Server).address() as AddressInfo).port;
    await api().post('/programs').send(BAC_KAN_PROGRAM).expect(201);
    await api().post('/units').send(unitBody('bk', 'province', null, 12_000)).expect(201);
    await api().post('/initiatives').send(initiativeBody('sk-1', 'bk')).expect(201);
  });
  afterAll(async () => {
    await app.close();
  });

  /** Sends the request and checks the answer is the given problem and that the log did not move. */
  async function refused(send: () => request.Test, status: number, code: string): Promise<request.Response> {
    const head = await store.headPosition();
    const response = await send();
    expect({ status: response.status, code: response.body.code }).toEqual({ status, code });
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(await store.headPosition()).toBe(head);
    return response;
  }
  const fieldsOf = (response: request.Response) => (response.body.errors as { field: string }[]).map((e) => e.field);

  describe('absent nested objects', () => {
    it('refuses a programme without eligibility, naming the field', async () => {
      const { eligibility: _, ...withoutEligibility } = { ...BAC_KAN_PROGRAM, id: 'no-elig' };
      const response = await refused(() => api().post('/programs').send(withoutEligibility), 400, 'VALIDATION_FAILED');
      expect(fieldsOf(response)).toContain('eligibility');
      await refused(() => api().post('/programs').send({ ...BAC_KAN_PROGRAM, id: 'null-elig', eligibility: null }), 400, 'VALIDATION_FAILED');
      await refused(() => api().post('/programs').send({ ...BAC_KAN_PROGRAM, id: 'arr-elig', eligibility: [] }), 400, 'VALIDATION_FAILED');
    });

    it('refuses a correction without changes', async () => {
      const response = await refused(() => api().post('/initiatives/sk-1/correct').send({ reason: 'typo' }), 400, 'VALIDATION_FAILED');
      expect(fieldsOf(response)).toContain('changes');
      await refused(() => api().post('/initiatives/sk-1/correct').send({ changes: 'title' }), 400, 'VALIDATION_FAILED');
    });
  });

  describe('bodies that cannot be read', () => {
    it('refuses a body that is not gzip although Content-Encoding says so', async () => {
      await refused(
        () => api().post('/units').set('Content-Type', 'application/json').set('Content-Encoding', 'gzip').send('{"id":"x"}'),
        400,
        'MALFORMED_BODY',
      );
    });

    it('still reads a real gzip body', async () => {
      const body = gzipSync(JSON.stringify(unitBody('gz', 'district', 'bk', 10)));
      // Through fetch: supertest would re-encode a Buffer sent as JSON.
      const response = await fetch(`http://127.0.0.1:${port}/units`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip', authorization: `Bearer ${adminTokenOf(app)}` }, body });
      expect([response.status, await response.json()]).toEqual([201, { id: 'gz', position: expect.any(String) }]);
    });

    it.each([5_000, 1_400])('refuses JSON nested %i levels before parsing it, with and without an Idempotency-Key', async (levels) => {
      const deep = `{"id":"deep","name":"x","kind":"province","memberCount":1,"parentId":${'['.repeat(levels)}${']'.repeat(levels)}}`;
      await refused(() => api().post('/units').set('Content-Type', 'application/json').send(deep), 400, 'JSON_TOO_DEEP');
      await refused(() => api().post('/units').set('Content-Type', 'application/json').set('Idempotency-Key', `deep-${levels}`).send(deep), 400, 'JSON_TOO_DEEP');
      const deepObject = `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
      await refused(() => api().post('/initiatives/sk-1/withdraw').set('Content-Type', 'application/json').send(deepObject), 400, 'JSON_TOO_DEEP');
    });

    it('accepts brackets inside strings, which do not nest', async () => {
      await api().post('/units').send({ ...unitBody('brackets', 'district', 'bk', 5), name: `${'[{'.repeat(3_000)}` }).expect(400);
      await api().post('/units').send({ ...unitBody('brackets', 'district', 'bk', 5), name: `Công đoàn ${'['.repeat(200)}` }).expect(201);
    });
  });

  describe('errors Node answers before our code', () => {
    function raw(bytes: string): Promise<string> {
      return new Promise((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
        let answer = '';
        socket.on('data', (chunk) => (answer += chunk.toString()));
        socket.on('end', () => resolve(answer));
        socket.on('error', reject);
        setTimeout(() => socket.destroy(new Error(`no answer in time; got ${answer}`)), 5_000).unref();
      });
    }
    const parse = (answer: string) => {
      const [head, body] = answer.split('\r\n\r\n');
      return { status: Number(head.split(' ')[1]), type: /content-type: ([^\r]+)/i.exec(head)?.[1], body: JSON.parse(body) };
    };

    it('431 for headers too large', async () => {
      const answer = parse(await raw(`GET /units/bk HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`));
      expect(answer).toMatchObject({ status: 431, type: 'application/problem+json', body: { status: 431, code: 'HEADERS_TOO_LARGE' } });
    });

    it('400 for a request that is not HTTP', async () => {
      const answer = parse(await raw('HELLO\r\n\r\n'));
      expect(answer).toMatchObject({ status: 400, type: 'application/problem+json', body: { code: 'MALFORMED_REQUEST' } });
    });

    it('408 for a body that stops arriving, without holding the connection', async () => {
      const started = Date.now();
      const answer = parse(await raw('POST /units HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"id":'));
      expect(answer).toMatchObject({ status: 408, type: 'application/problem+json', body: { code: 'REQUEST_TIMEOUT' } });
      expect(Date.now() - started).toBeLessThan(5_000);
    });
  });

  describe('answers that would silently differ from the question', () => {
    it.each(['2022-02-30T10:00:00Z', '2022-05-31T24:00:00Z', '2022-04-20T10:60:00Z', '2022-04-20T10:00:60Z', '2022-04-20T10:00:00+25:00'])(
      'refuses the impossible instant %s instead of shifting it',
      async (instant) => {
        const response = await refused(() => api().post('/initiatives').send(initiativeBody('sk-bad', 'bk', { submittedAt: instant })), 400, 'VALIDATION_FAILED');
        expect(fieldsOf(response)).toEqual(['submittedAt']);
        await refused(() => api().post('/initiatives/sk-1/approve').send({ decisionRef: 'QĐ-1', approvedAt: instant }), 400, 'VALIDATION_FAILED');
      },
    );

    it('refuses asOf=2022-13-01T00:00Z rather than answering today’s figures', async () => {
      const response = await refused(() => api().get('/units/bk/progress').query({ programId: 'bk-2022', asOf: '2022-13-01T00:00Z' }), 400, 'VALIDATION_FAILED');
      expect(fieldsOf(response)).toEqual(['asOf']);
      const good = await api().get('/units/bk/progress').query({ programId: 'bk-2022', asOf: new Date().toISOString() });
      expect([good.status, good.body.code]).toEqual([200, undefined]);
    });

    it('refuses blank text and blank authors', async () => {
      let response = await refused(() => api().post('/initiatives').send(initiativeBody('sk-blank', 'bk', { title: '   ' })), 400, 'VALIDATION_FAILED');
      expect(fieldsOf(response)).toEqual(['title']);
      response = await refused(() => api().post('/initiatives').send(initiativeBody('sk-blank', 'bk', { authors: ['  '] })), 400, 'VALIDATION_FAILED');
      expect(fieldsOf(response)).toEqual(['authors']);
      await refused(() => api().post('/initiatives/sk-1/reject').send({ reason: '\t \n' }), 400, 'VALIDATION_FAILED');
    });

    it.each(['constructor', 'prototype', 'hasOwnProperty', 'toString', '__proto__'])('refuses %s as an unknown field, at the top and nested', async (name) => {
      const top = `{"decisionRef":"QĐ-1",${JSON.stringify(name)}:{}}`;
      let response = await refused(() => api().post('/initiatives/sk-1/approve').set('Content-Type', 'application/json').send(top), 400, 'VALIDATION_FAILED');
      expect(response.body.errors).toEqual([{ field: name, message: 'unknown field' }]);
      const nested = `{"changes":{"title":"Tên mới",${JSON.stringify(name)}:1}}`;
      response = await refused(() => api().post('/initiatives/sk-1/correct').set('Content-Type', 'application/json').send(nested), 400, 'VALIDATION_FAILED');
      expect(response.body.errors).toEqual([{ field: `changes.${name}`, message: 'unknown field' }]);
      response = await refused(() => api().get(`/initiatives?${name}=x`), 400, 'VALIDATION_FAILED');
      expect(fieldsOf(response)).toEqual([name]);
    });
  });

  describe('bounded work per request', () => {
    it('lists the first 20 offending fields and how many there were', async () => {
      const body = { ...initiativeBody('sk-many', 'bk'), ...Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`extra${i}`, i])) };
      const response = await refused(() => api().post('/initiatives').send(body), 400, 'VALIDATION_FAILED');
      expect(response.body.errors).toHaveLength(20);
      expect(response.body.errorCount).toBe(500);
    });

    it('refuses a 1 MB body of 95,000 unknown keys at once, while other requests go on', async () => {
      const body = `{${Array.from({ length: 95_000 }, (_, i) => `"k${i}":1`).join(',')}}`;
      expect(body.length).toBeLessThan(1024 * 1024);
      const started = Date.now();
      const answers = await Promise.all(Array.from({ length: 8 }, () => api().post('/units').set('Content-Type', 'application/json').send(body)));
      const health = await api().get('/units/bk');
      expect(answers.map((a) => [a.status, a.body.code])).toEqual(Array(8).fill([413, 'TOO_MANY_FIELDS']));
      expect(health.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(2_000);
    });
  });

  describe('body sizes', () => {
    const overOneMiB = JSON.stringify({ ...unitBody('big', 'district', 'bk', 5), name: 'x'.repeat(MAX_BODY_BYTES) });

    it('refuses a body over 1 MiB, naming the limit', async () => {
      const response = await refused(() => api().post('/units').set('Content-Type', 'application/json').send(overOneMiB), 413, 'PAYLOAD_TOO_LARGE');
      expect(response.body.limit).toBe(MAX_BODY_BYTES);
    });

    it('takes a reorganisation plan over 1 MiB: that route has its own limit', async () => {
      const lines = Array.from({ length: 16_000 }, (_, i) => `register,new-union-${i},bk,Công đoàn cơ sở mới số ${i} của tỉnh Bắc Kạn,grassroots,${10 + (i % 90)}`);
      const csv = ['action,unit,to,name,kind,members', ...lines].join('\n');
      expect(Buffer.byteLength(csv)).toBeGreaterThan(MAX_BODY_BYTES);
      const head = await store.headPosition();
      const response = await api().post('/admin/reorganisations?dryRun=true').send({ documentRef: '759/QĐ-TLĐ large', effectiveOn: '2025-07-01', csv });
      expect([response.status, response.body.state, response.body.stepsTotal]).toEqual([200, 'preview', 16_000]);
      expect(await store.headPosition()).toBe(head);
    });

    it('refuses a reorganisation body over its own limit, naming it', async () => {
      const csv = 'x'.repeat(MAX_PLAN_BODY_BYTES);
      // The refused body is read to its end before the answer: on a busy machine 64 MiB take longer than this suite's short timeouts, not the service's.
      const server = app.getHttpServer() as Server;
      setServerTimeouts(server, SERVER_TIMEOUTS);
      try {
        const response = await refused(() => api().post('/admin/reorganisations').send({ documentRef: '759/QĐ-TLĐ too large', effectiveOn: '2025-07-01', csv }), 413, 'PAYLOAD_TOO_LARGE');
        expect(response.body.limit).toBe(MAX_PLAN_BODY_BYTES);
      } finally {
        setServerTimeouts(server, SHORT_TIMEOUTS);
      }
    }, 60_000);
  });

  describe('routes that take no body', () => {
    it.each(['/admin/verifications', '/admin/projections/progress/rebuild'])('accepts POST %s with no body at all', async (route) => {
      const response = await api().post(route);
      expect(response.status).toBe(202);
      await api().post(route).set('Content-Type', 'application/json').send('{"full":true}').expect(400);
    });
  });
});
