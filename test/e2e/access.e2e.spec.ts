import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStore, SqliteEventStore } from '@app/event-store';
import { BAC_KAN_PROGRAM, initiativeBody, unitBody } from '../support/bac-kan';
import { adminTokenOf, authorized, createTestApp, issueKey } from '../support/test-app';

const memory = { readModel: { kind: 'memory' as const }, projector: { embedded: true } };
const sqlite = () => new SqliteEventStore(join(mkdtempSync(join(tmpdir(), 'access-')), 'events.db'));

/** API keys, grants as events, the actor of every event, and the hardening around them, on the embedded default. */
describe('access end to end', () => {
  let app: INestApplication;
  let events: SqliteEventStore;
  const admin = () => authorized(app);

  beforeAll(async () => {
    events = sqlite();
    app = await createTestApp({ eventStore: { instance: events }, readModels: memory });
    await admin().post('/programs').send(BAC_KAN_PROGRAM).expect(201);
    for (const [id, kind, parent] of [
      ['prov', 'province', null],
      ['na-ri', 'district', 'prov'],
      ['cho-don', 'district', 'prov'],
      ['school', 'grassroots', 'na-ri'],
    ] as const) {
      await admin().post('/units').send(unitBody(id, kind, parent, 100)).expect(201);
    }
  });
  afterAll(async () => {
    await app?.close();
  });

  describe('API keys', () => {
    it('are created by an admin with the secret shown once, used, listed without secret, revoked (401 from then on)', async () => {
      const created = await admin()
        .post('/admin/api-keys')
        .send({ subject: 'importer@bk', displayName: 'Nhập liệu', roles: [{ role: 'reader', unitId: 'prov' }], expiresAt: '2099-01-01T00:00:00+07:00', documentRef: 'QĐ 9' })
        .expect(201);
      const { keyId, token } = created.body;
      expect(created.body).toEqual({ keyId: expect.stringMatching(/^[a-z0-9]{16}$/), token: expect.stringMatching(/^omi_[a-z0-9]{16}_[A-Za-z0-9_-]{43}$/), subject: 'importer@bk', expiresAt: '2098-12-31T17:00:00.000Z', position: expect.stringMatching(/^\d+$/) });
      expect(token).toContain(keyId);

      await authorized(app, token).get('/units/na-ri').expect(200);
      await authorized(app, token).get('/units/prov/children').expect(200);

      const listed = await admin().get('/admin/api-keys').expect(200);
      const mine = listed.body.items.find((k: { keyId: string }) => k.keyId === keyId);
      expect(mine).toEqual({ keyId, subject: 'importer@bk', displayName: 'Nhập liệu', expiresAt: '2098-12-31T17:00:00.000Z', createdBy: 'test-admin', createdAt: expect.any(String), revoked: null });
      // The secret is base64url, which has '_' of its own: everything after the key id.
      const secret = token.slice(`omi_${keyId}_`.length);
      expect(listed.text).not.toContain(secret);
      // Only a hash is recorded: the secret is nowhere in the log.
      expect(JSON.stringify(await events.readAll(), (_, v) => (typeof v === 'bigint' ? v.toString() : v))).not.toContain(secret);
      expect((await admin().get('/admin/grants').expect(200)).body.items).toContainEqual(
        expect.objectContaining({ subject: 'importer@bk', role: 'reader', unitId: 'prov', documentRef: 'QĐ 9', grantedBy: 'test-admin', revoked: null }),
      );

      await admin().post(`/admin/api-keys/${keyId}/revoke`).send({ reason: 'máy đã thanh lý' }).expect(200);
      const refused = await authorized(app, token).get('/units/na-ri');
      expect(refused.status).toBe(401);
      expect(refused.body.code).toBe('UNAUTHENTICATED');
      expect((await admin().get('/admin/api-keys').expect(200)).body.items.find((k: { keyId: string }) => k.keyId === keyId).revoked).toEqual({
        by: 'test-admin',
        at: expect.any(String),
        reason: 'máy đã thanh lý',
      });
    });

    it('stop working when they expire', async () => {
      const expiresAt = new Date(Date.now() + 1500).toISOString();
      const { token } = (await admin().post('/admin/api-keys').send({ subject: 'short@bk', roles: [{ role: 'reader', unitId: null }], expiresAt }).expect(201)).body;
      await authorized(app, token).get('/units/prov').expect(200);
      await new Promise((resolve) => setTimeout(resolve, Date.parse(expiresAt) - Date.now() + 50));
      expect((await authorized(app, token).get('/units/prov')).status).toBe(401);
    });

    it('refuses an expiry in the past, an unknown role, an unknown key, and a secret that does not match its id', async () => {
      const past = await admin().post('/admin/api-keys').send({ subject: 'x', roles: [], expiresAt: '2020-01-01T00:00:00Z' });
      expect(past.body).toMatchObject({ status: 422, code: 'API_KEY_EXPIRY_IN_PAST' });
      const role = await admin().post('/admin/api-keys').send({ subject: 'x', roles: [{ role: 'superuser' }] });
      expect(role.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
      expect((await admin().post('/admin/api-keys/0123456789abcdef/revoke').send({})).body).toMatchObject({ status: 404, code: 'API_KEY_NOT_FOUND' });
      const [, keyId] = adminTokenOf(app).split('_');
      const forged = `omi_${keyId}_${'A'.repeat(43)}`;
      expect((await authorized(app, forged).get('/admin/grants')).status).toBe(401);
    });
  });

  describe('grants', () => {
    it('are replayed from the log: a revoked officer’s later submission is 403, the earlier one still counts', async () => {
      const hoa = await issueKey(app, 'hoa@na-ri', []);
      expect((await authorized(app, hoa).post('/initiatives').send(initiativeBody('before-grant', 'school'))).status).toBe(403);
      await admin().post('/admin/grants').send({ subject: 'hoa@na-ri', role: 'officer', unitId: 'na-ri', documentRef: 'QĐ 21/LĐLĐ' }).expect(201);
      expect((await admin().post('/admin/grants').send({ subject: 'hoa@na-ri', role: 'officer', unitId: 'na-ri' })).body).toMatchObject({ status: 409, code: 'ROLE_ALREADY_GRANTED' });
      const first = await authorized(app, hoa).post('/initiatives').send(initiativeBody('by-hoa', 'school')).expect(201);
      const revoked = await admin().post('/admin/grants/revoke').send({ subject: 'hoa@na-ri', role: 'officer', unitId: 'na-ri', documentRef: 'QĐ 30/LĐLĐ' }).expect(200);
      expect((await admin().post('/admin/grants/revoke').send({ subject: 'hoa@na-ri', role: 'officer', unitId: 'na-ri' })).body).toMatchObject({ status: 404, code: 'GRANT_NOT_FOUND' });

      const later = await authorized(app, hoa).post('/initiatives').send(initiativeBody('after-revoke', 'school'));
      expect(later.status).toBe(403);
      expect(later.body).toMatchObject({ code: 'FORBIDDEN' });
      const row = (await admin().get('/units/na-ri/progress').query({ programId: 'bk-2022', minPosition: revoked.body.position }).expect(200)).body.items.find((r: { phaseId: string }) => r.phaseId === 'all');
      expect(BigInt(revoked.body.position)).toBeGreaterThan(BigInt(first.body.position));
      expect(row.submitted).toBe(1);
      expect((await events.readStream('initiative-by-hoa'))[0].metadata.actor).toBe('hoa@na-ri');

      const onUnit = (await admin().get('/units/school/grants').expect(200)).body.items.filter((g: { subject: string }) => g.subject === 'hoa@na-ri');
      expect(onUnit).toEqual([
        {
          subject: 'hoa@na-ri',
          role: 'officer',
          unitId: 'na-ri',
          documentRef: 'QĐ 21/LĐLĐ',
          grantedBy: 'test-admin',
          grantedAt: expect.any(String),
          revoked: { by: 'test-admin', at: expect.any(String), documentRef: 'QĐ 30/LĐLĐ' },
        },
      ]);
      expect((await admin().get('/units/cho-don/grants').expect(200)).body.items.map((g: { subject: string }) => g.subject)).not.toContain('hoa@na-ri');
    });

    it('follow the tree as it is when the command is decided: a moved unit changes hands at once', async () => {
      const lan = await issueKey(app, 'lan@na-ri', [{ role: 'officer', unitId: 'na-ri' }]);
      await admin().post('/units').send(unitBody('moving', 'grassroots', 'na-ri', 10)).expect(201);
      await authorized(app, lan).post('/initiatives').send(initiativeBody('moving-1', 'moving')).expect(201);
      await admin().post('/units/moving/move').send({ parentId: 'cho-don' }).expect(200);
      expect((await authorized(app, lan).post('/initiatives').send(initiativeBody('moving-2', 'moving'))).status).toBe(403);
      expect((await authorized(app, lan).post('/initiatives/moving-1/withdraw').send({})).status).toBe(403);
    });
  });

  it('writes the authenticated subject and credential into every event written through the API', async () => {
    const keys: { keyId: string; subject: string }[] = (await admin().get('/admin/api-keys').expect(200)).body.items;
    const subjectOf = new Map(keys.map((k) => [k.keyId, k.subject]));
    const written = (await events.readAll()).filter((e) => e.metadata.actor !== 'test-setup');
    expect(written.length).toBeGreaterThan(10);
    for (const event of written) {
      expect({ type: event.type, credential: event.metadata.credential?.kind }).toEqual({ type: event.type, credential: 'api-key' });
      expect({ type: event.type, actor: event.metadata.actor }).toEqual({ type: event.type, actor: subjectOf.get(event.metadata.credential!.id) });
    }
  });

  it('ignores X-Actor when authentication is on', async () => {
    const response = await admin().post('/units').set('X-Actor', 'mallory').send(unitBody('x-actor', 'grassroots', 'prov', 1)).expect(201);
    const [registered] = await events.readStream('unit-x-actor');
    expect(registered.metadata.actor).toBe('test-admin');
    expect(registered.position.toString()).toBe(response.body.position);
  });

  it('sends security headers and no X-Powered-By, on answers and errors alike', async () => {
    for (const response of [await admin().get('/units/prov'), await request(app.getHttpServer()).get('/units/prov')]) {
      expect(response.headers['x-powered-by']).toBeUndefined();
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['strict-transport-security']).toMatch(/max-age=/);
      expect(response.headers['content-security-policy']).toContain("default-src 'self'");
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
    }
  });
});

describe('hardening around access', () => {
  it('rate-limits per credential: 429 RATE_LIMITED with Retry-After; another credential is not affected', async () => {
    const app = await createTestApp({ eventStore: { instance: sqlite() }, readModels: memory, auth: { rateLimit: { limit: 3, windowMs: 60_000 } } });
    try {
      const other = await issueKey(app, 'other', [{ role: 'reader', unitId: null }]);
      for (let i = 0; i < 3; i++) await authorized(app).get('/admin/grants').expect(200);
      const limited = await authorized(app).get('/admin/grants');
      expect(limited.status).toBe(429);
      expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(limited.body).toMatchObject({ status: 429, code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect((await authorized(app, other).get('/units/none')).status).toBe(404);
    } finally {
      await app.close();
    }
  });

  it('answers CORS only for the configured origins', async () => {
    const app = await createTestApp({ eventStore: { instance: sqlite() }, readModels: memory, auth: { corsOrigins: ['https://dashboard.congdoan.vn'] } });
    try {
      const preflight = (origin: string) =>
        request(app.getHttpServer()).options('/units/prov').set('Origin', origin).set('Access-Control-Request-Method', 'GET').set('Access-Control-Request-Headers', 'authorization');
      const allowed = await preflight('https://dashboard.congdoan.vn');
      expect(allowed.headers['access-control-allow-origin']).toBe('https://dashboard.congdoan.vn');
      expect(allowed.headers['access-control-allow-headers']).toContain('authorization');
      expect((await preflight('https://evil.example')).headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await app.close();
    }
  });

  it('never puts a stack trace, a file path or the failure’s message into an error body', async () => {
    const store = sqlite();
    const failing: EventStore = new Proxy(store, {
      get: (target, name, receiver) =>
        name === 'append' && failAppends ? async () => Promise.reject(new Error(`disk on fire at ${__filename}:12`)) : Reflect.get(target, name, receiver),
    });
    let failAppends = false;
    const app = await createTestApp({ eventStore: { instance: failing }, readModels: memory });
    try {
      failAppends = true;
      const response = await authorized(app).post('/programs').send(BAC_KAN_PROGRAM);
      expect(response.status).toBe(500);
      expect(response.body).toMatchObject({ code: 'INTERNAL_ERROR' });
      expect(response.text).not.toMatch(/disk on fire|\.ts|\/work\/|at \w+ \(/);
    } finally {
      failAppends = false;
      await app.close();
    }
  });

  it('with AUTH=off (local experiments only) lets anyone act under the name in X-Actor', async () => {
    const store = sqlite();
    const app = await createTestApp({ eventStore: { instance: store }, readModels: memory, auth: { mode: 'off' } });
    try {
      await request(app.getHttpServer()).post('/programs').set('X-Actor', 'tester').send(BAC_KAN_PROGRAM).expect(201);
      expect((await store.readStream('program-bk-2022'))[0].metadata).toMatchObject({ actor: 'tester', credential: { kind: 'none', id: 'auth-off' } });
    } finally {
      await app.close();
    }
  });
});
