import { INestApplication } from '@nestjs/common';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, exportSPKI, generateKeyPair, JWTPayload, SignJWT, UnsecuredJWT } from 'jose';
import { SqliteEventStore } from '@app/event-store';
import { BAC_KAN_PROGRAM, initiativeBody, unitBody } from '../support/bac-kan';
import { authorized, createTestApp } from '../support/test-app';

const ISSUER = 'https://sso.congdoan.test/realms/vgcl';
const AUDIENCE = 'one-million-initiatives';
type Key = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

/** OpenID Connect bearer tokens, signed here with jose and checked by the service against a JWKS served over HTTP on loopback. */
describe('OIDC bearer tokens', () => {
  let jwks: Server;
  let app: INestApplication;
  let events: SqliteEventStore;
  let signing: { privateKey: Key; publicKey: Key };
  let stranger: { privateKey: Key; publicKey: Key };
  let jwksRequests = 0;
  const now = () => Math.floor(Date.now() / 1000);

  const token = (claims: JWTPayload = {}, options: { key?: Key; kid?: string; alg?: string } = {}) =>
    new SignJWT({ name: 'Nguyễn Thị Hoa', iss: ISSUER, aud: AUDIENCE, sub: 'hoa@ldld-bac-kan', iat: now(), exp: now() + 300, ...claims })
      .setProtectedHeader({ alg: options.alg ?? 'RS256', kid: options.kid ?? 'k1' })
      .sign(options.key ?? signing.privateKey);
  const call = (bearer: string) => authorized(app, bearer).get('/admin/grants');

  beforeAll(async () => {
    signing = await generateKeyPair('RS256', { extractable: true });
    stranger = await generateKeyPair('RS256', { extractable: true });
    const jwk = { ...(await exportJWK(signing.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    jwks = createServer((_, response) => {
      jwksRequests++;
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/protocol/openid-connect/certs`;
    events = new SqliteEventStore(join(mkdtempSync(join(tmpdir(), 'oidc-')), 'events.db'));
    app = await createTestApp({
      eventStore: { instance: events },
      readModels: { readModel: { kind: 'sqlite', path: ':memory:' }, projector: { embedded: true } },
      auth: { oidc: { issuer: ISSUER, audience: AUDIENCE, jwksUrl } },
    });
    const admin = authorized(app);
    await admin.post('/admin/grants').send({ subject: 'hoa@ldld-bac-kan', role: 'auditor', documentRef: 'QĐ 3/LĐLĐ' }).expect(201);
  });
  afterAll(async () => {
    await app?.close();
    await new Promise((resolve) => jwks?.close(resolve));
  });

  it('accepts a valid token (200), fetching the keys from the JWKS', async () => {
    const response = await call(await token()).expect(200);
    expect(response.body.items).toContainEqual(expect.objectContaining({ subject: 'hoa@ldld-bac-kan', role: 'auditor', unitId: null, documentRef: 'QĐ 3/LĐLĐ', grantedBy: 'test-admin' }));
    expect(jwksRequests).toBeGreaterThan(0);
  });

  it.each([
    ['expired', () => token({ exp: now() - 120 })],
    ['not yet valid', () => token({ nbf: now() + 600 })],
    ['from another issuer', () => token({ iss: 'https://evil.test' })],
    ['for another audience', () => token({ aud: 'another-service' })],
    ['without expiry', () => new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer(ISSUER).setAudience(AUDIENCE).setSubject('hoa@ldld-bac-kan').sign(signing.privateKey)],
    ['unsigned (alg none)', async () => new UnsecuredJWT({}).setIssuer(ISSUER).setAudience(AUDIENCE).setSubject('hoa@ldld-bac-kan').setExpirationTime(now() + 300).encode()],
    // The classic confusion: the public key (which anyone has) used as an HMAC secret.
    ['HS256 signed with the public key', async () => token({}, { alg: 'HS256', key: new TextEncoder().encode(await exportSPKI(signing.publicKey)) as unknown as Key })],
    [
      'with a tampered signature',
      async () => {
        const [header, payload, signature] = (await token()).split('.');
        return `${header}.${payload}.${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
      },
    ],
    [
      'with a tampered payload',
      async () => {
        const [header, , signature] = (await token()).split('.');
        const forged = Buffer.from(JSON.stringify({ sub: 'admin', iss: ISSUER, aud: AUDIENCE, exp: now() + 300 })).toString('base64url');
        return `${header}.${forged}.${signature}`;
      },
    ],
    ['signed by an unknown kid', () => token({}, { key: stranger.privateKey, kid: 'k2' })],
    ['signed by another key under a known kid', () => token({}, { key: stranger.privateKey })],
    ['that is not a JWT at all', async () => 'eyJhbGciOiJSUzI1NiJ9.garbage'],
  ])('refuses a token %s with 401 UNAUTHENTICATED and WWW-Authenticate', async (_, make) => {
    const response = await call(await make());
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    expect(response.headers['www-authenticate']).toBe('Bearer realm="one-million-initiatives", error="invalid_token"');
  });

  it('takes roles from grants only: a token claiming admin is a subject without rights (403)', async () => {
    const bold = await token({ roles: ['admin'], realm_access: { roles: ['admin'] }, scope: 'admin' }, {});
    const response = await authorized(app, bold).post('/programs').send({ ...BAC_KAN_PROGRAM, id: 'bk-oidc' });
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('FORBIDDEN');
  });

  it('records the token subject, its name and the issuer in every event it writes, whatever X-Actor says', async () => {
    const admin = authorized(app);
    await admin.post('/programs').send(BAC_KAN_PROGRAM).expect(201);
    await admin.post('/units').send(unitBody('prov', 'province', null, 100)).expect(201);
    await admin.post('/admin/grants').send({ subject: 'hoa@ldld-bac-kan', role: 'officer', unitId: 'prov' }).expect(201);
    const response = await authorized(app, await token()).post('/initiatives').set('X-Actor', 'someone-else').send(initiativeBody('sk-oidc', 'prov')).expect(201);
    const [submitted] = await events.readStream('initiative-sk-oidc');
    expect(submitted.metadata).toMatchObject({ actor: 'hoa@ldld-bac-kan', actorName: 'Nguyễn Thị Hoa', credential: { kind: 'oidc', id: ISSUER } });
    expect(submitted.position.toString()).toBe(response.body.position);
  });
});
