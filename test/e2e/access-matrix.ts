import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { Role } from '@app/domain';
import { EventStore } from '@app/event-store';
import { ReadModelGenerations, RebuildQueue } from '@app/read-models';
import { BAC_KAN_PROGRAM, initiativeBody, unitBody } from '../support/bac-kan';
import { adminTokenOf, authorized, createTestApp, issueKey } from '../support/test-app';

/**
 * Who may call what, route by route: every route the application registers × every role × a
 * request inside the grant's subtree, outside it, and with the role held everywhere. A route the
 * table does not know fails the suite, and so does a route whose guard refuses even an admin
 * (a route without an access rule).
 *
 * The tree: prov → in → mid and school, prov → side; out → out-d. Scoped roles are held over `in`.
 * Write requests carry an unknown field: one that gets past the guard ends as 400 and writes nothing.
 */
type Case = { path: string; body?: Record<string, unknown> };
interface RouteRule {
  /** Roles (besides admin) allowed; `global`: only when held everywhere (the route acts above every unit). */
  roles: readonly Role[];
  global?: boolean;
  /** Any authenticated subject, whatever it holds. */
  anyone?: boolean;
  inScope: Case;
  outOfScope: Case;
}

const ROLES: Role[] = ['officer', 'council', 'auditor', 'reader'];
const READ: Role[] = ['reader', 'auditor', 'officer', 'council'];
const AUDIT: Role[] = ['auditor'];
const ADMIN: Role[] = [];
const BOGUS = { bogus: true };

export function describeAccessMatrix(name: string, open: { openEvents: () => Promise<EventStore>; openReadModels: () => Promise<ReadModelGenerations & RebuildQueue> }): void {
  describe(`who may call what, on ${name}`, () => {
    let app: INestApplication;
    const run = Math.random().toString(36).slice(2, 7);
    const u = (label: string) => `${label}-${run}`;
    const tokens = new Map<string, string>();
    const program = u('bk');

    const scoped = (inScope: Case, outOfScope: Case, roles: readonly Role[]): RouteRule => ({ roles, inScope, outOfScope });
    const global = (c: Case, roles: readonly Role[]): RouteRule => ({ roles, global: true, inScope: c, outOfScope: c });
    const post = (path: string, body: Record<string, unknown> = {}): Case => ({ path, body: { ...body, ...BOGUS } });
    const get = (path: string): Case => ({ path });
    const anyone = (c: Case): RouteRule => ({ roles: ROLES, anyone: true, inScope: c, outOfScope: c });
    const table = (): Record<string, RouteRule> => ({
      'POST /programs': global(post('/programs'), ADMIN),
      'POST /programs/:id/phases/:phaseId/amend': global(post(`/programs/${program}/phases/p1/amend`), ADMIN),
      'POST /programs/:id/counting-rule': global(post(`/programs/${program}/counting-rule`), ADMIN),
      'POST /programs/:id/eligibility': global(post(`/programs/${program}/eligibility`), ADMIN),
      'POST /units': scoped(post('/units', { parentId: u('in') }), post('/units', { parentId: u('side') }), ['officer']),
      // Strictly beneath: the officer's own unit is out of its reach.
      'POST /units/:id/members': scoped(post(`/units/${u('mid')}/members`), post(`/units/${u('in')}/members`), ['officer']),
      'POST /units/:id/move': scoped(post(`/units/${u('school')}/move`, { parentId: u('in') }), post(`/units/${u('school')}/move`, { parentId: u('side') }), ['officer']),
      'POST /units/:id/merge': scoped(post(`/units/${u('school')}/merge`, { intoUnitId: u('mid') }), post(`/units/${u('side')}/merge`, { intoUnitId: u('in') }), ['officer']),
      'POST /units/:id/close': scoped(post(`/units/${u('school')}/close`), post(`/units/${u('in')}/close`), ['officer']),
      'POST /programs/:programId/quotas': scoped(post(`/programs/${program}/quotas`, { unitId: u('mid') }), post(`/programs/${program}/quotas`, { unitId: u('in') }), ['officer']),
      'POST /initiatives': scoped(post('/initiatives', { unitId: u('school') }), post('/initiatives', { unitId: u('out-d') }), ['officer']),
      ...Object.fromEntries(
        (['approve', 'reject', 'revoke-approval'] as const).map((verb) => [
          `POST /initiatives/:id/${verb}`,
          scoped(post(`/initiatives/${u('ini-in')}/${verb}`), post(`/initiatives/${u('ini-out')}/${verb}`), ['council']),
        ]),
      ),
      ...Object.fromEntries(
        (['withdraw', 'correct'] as const).map((verb) => [
          `POST /initiatives/:id/${verb}`,
          scoped(post(`/initiatives/${u('ini-in')}/${verb}`), post(`/initiatives/${u('ini-out')}/${verb}`), ['officer']),
        ]),
      ),
      // A move needs the right on both ends.
      'POST /initiatives/:id/move': scoped(post(`/initiatives/${u('ini-in')}/move`, { unitId: u('mid') }), post(`/initiatives/${u('ini-in')}/move`, { unitId: u('side') }), ['officer']),
      'GET /programs/:id/progress': scoped(get(`/programs/${program}/progress?parentId=${u('in')}`), get(`/programs/${program}/progress?parentId=${u('side')}`), READ),
      'GET /programs/:id/rankings': scoped(get(`/programs/${program}/rankings?parentId=${u('in')}`), get(`/programs/${program}/rankings`), READ),
      'GET /programs/:id/finished-early': global(get(`/programs/${program}/finished-early`), READ),
      'GET /units/:id/progress': scoped(get(`/units/${u('mid')}/progress?programId=${program}`), get(`/units/${u('side')}/progress?programId=${program}`), READ),
      'GET /units/:id/progress?asOf': scoped(get(`/units/${u('mid')}/progress?programId=${program}&asOf=1`), get(`/units/${u('side')}/progress?programId=${program}&asOf=1`), AUDIT),
      'GET /units/:id': scoped(get(`/units/${u('in')}`), get(`/units/${u('prov')}`), READ),
      'GET /units/:id/children': scoped(get(`/units/${u('in')}/children`), get(`/units/${u('out')}/children`), READ),
      'GET /units/:id/history': scoped(get(`/units/${u('mid')}/history?programId=${program}`), get(`/units/${u('side')}/history?programId=${program}`), AUDIT),
      'GET /units/:id/verify': scoped(get(`/units/${u('mid')}/verify?programId=${program}`), get(`/units/${u('side')}/verify?programId=${program}`), AUDIT),
      'GET /units/:id/grants': scoped(get(`/units/${u('school')}/grants`), get(`/units/${u('out-d')}/grants`), AUDIT),
      'GET /initiatives': scoped(get(`/initiatives?programId=${program}&unitId=${u('in')}&subtree=true`), get(`/initiatives?programId=${program}`), READ),
      'GET /initiatives/:id': scoped(get(`/initiatives/${u('ini-in')}`), get(`/initiatives/${u('ini-out')}`), READ),
      'GET /admin/projections': global(get('/admin/projections'), AUDIT),
      'POST /admin/projections/:name/rebuild': global(post('/admin/projections/progress/rebuild'), ADMIN),
      'POST /admin/verifications': global(post('/admin/verifications'), AUDIT),
      'GET /admin/verifications/:id': global(get('/admin/verifications/nope'), AUDIT),
      'POST /admin/reorganisations': global(post('/admin/reorganisations'), ADMIN),
      'GET /admin/reorganisations/:id': global(get('/admin/reorganisations/nope'), AUDIT),
      'POST /admin/api-keys': global(post('/admin/api-keys'), ADMIN),
      'GET /admin/api-keys': global(get('/admin/api-keys'), ADMIN),
      'POST /admin/api-keys/:keyId/revoke': global(post('/admin/api-keys/0123456789abcdef/revoke'), ADMIN),
      'POST /admin/grants': global(post('/admin/grants'), ADMIN),
      'POST /admin/grants/revoke': global(post('/admin/grants/revoke'), ADMIN),
      'GET /admin/grants': global(get('/admin/grants'), AUDIT),
      'GET /me': anyone(get('/me')),
      'GET /units/:id/integrity': scoped(get(`/units/${u('mid')}/integrity?programId=${program}`), get(`/units/${u('side')}/integrity?programId=${program}`), AUDIT),
      'POST /admin/integrity': global(post('/admin/integrity'), ADMIN),
      'GET /admin/integrity/:id': global(get('/admin/integrity/nope'), AUDIT),
      'POST /admin/integrity/seals': global(post('/admin/integrity/seals'), ADMIN),
      'GET /audit/public-key': global(get('/audit/public-key'), AUDIT),
      'GET /audit/seals': global(get('/audit/seals'), AUDIT),
      'POST /admin/personal-data/erasures': global(post('/admin/personal-data/erasures'), ADMIN),
      'GET /admin/personal-data/:memberNo': global(get('/admin/personal-data/CD-1'), ADMIN),
      'GET /programs': anyone(get('/programs')),
      'GET /programs/:id': anyone(get(`/programs/${program}`)),
    });
    /** Routes anyone may call: none of the programme's; liveness, readiness, metrics and the API description (Swagger UI's files under /docs). */
    const PUBLIC = ['GET /health/live', 'GET /health/ready', 'GET /metrics', 'GET /openapi.json'];
    const isPublic = (route: string) => PUBLIC.includes(route) || /^GET \/docs(\/|$)/.test(route);

    const send = (c: Case, method: string, token?: string) => {
      const server = app.getHttpServer();
      const test = method === 'GET' ? request(server).get(c.path) : request(server).post(c.path).send(c.body ?? {});
      return token ? test.set('authorization', `Bearer ${token}`) : test;
    };

    beforeAll(async () => {
      app = await createTestApp({ eventStore: { instance: await open.openEvents() }, readModels: { readModel: { generations: await open.openReadModels() }, projector: { embedded: true } } });
      const admin = authorized(app);
      await admin.post('/programs').send({ ...BAC_KAN_PROGRAM, id: program }).expect(201);
      for (const [id, kind, parent] of [
        ['prov', 'province', null],
        ['in', 'district', 'prov'],
        ['mid', 'grassroots', 'in'],
        ['school', 'grassroots', 'in'],
        ['side', 'district', 'prov'],
        ['out', 'province', null],
        ['out-d', 'district', 'out'],
      ] as const) {
        await admin.post('/units').send(unitBody(u(id), kind, parent && u(parent), 100)).expect(201);
      }
      await admin.post('/initiatives').send(initiativeBody(u('ini-in'), u('school'), { programId: program })).expect(201);
      await admin.post('/initiatives').send(initiativeBody(u('ini-out'), u('out-d'), { programId: program })).expect(201);
      tokens.set('admin', adminTokenOf(app));
      for (const role of ROLES) {
        tokens.set(`${role}@in`, await issueKey(app, u(`${role}-in`), [{ role, unitId: u('in') }]));
        tokens.set(`${role}@all`, await issueKey(app, u(`${role}-all`), [{ role, unitId: null }]));
      }
    });
    afterAll(async () => {
      await app?.close();
    });

    /** "METHOD /path" of every route the application registered, from the HTTP server's own router. */
    const registeredRoutes = (): string[] => {
      const router = (app.getHttpAdapter().getInstance() as unknown as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } }).router;
      return router.stack
        // Middleware mounted for every route (the HTTP metrics) shows up as a catch-all: not a route of its own.
        .filter((layer) => layer.route && !layer.route.path.includes('*'))
        .flatMap((layer) => Object.keys(layer.route!.methods).map((method) => `${method.toUpperCase()} ${layer.route!.path}`));
    };

    it('knows every registered route, and every rule it lists is a registered route', () => {
      const routes = registeredRoutes();
      expect(routes.length).toBeGreaterThan(30);
      const known = new Set([...Object.keys(table()).map((key) => key.split('?')[0]), ...PUBLIC]);
      expect(routes.filter((route) => !known.has(route) && !isPublic(route))).toEqual([]);
      expect([...known].filter((route) => !routes.includes(route))).toEqual([]);
    });

    it('answers the public routes without credentials', async () => {
      for (const route of registeredRoutes().filter(isPublic)) {
        const path = route.split(' ')[1];
        const response = await request(app.getHttpServer()).get(path);
        expect({ route, status: response.status === 401 || response.status === 403 ? response.status : 'answered' }).toEqual({ route, status: 'answered' });
      }
    });

    it('answers 401 with WWW-Authenticate to every route without credentials, or with credentials it does not know', async () => {
      for (const [key, rule] of Object.entries(table())) {
        const method = key.split(' ')[0];
        for (const token of [undefined, 'omi_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'not-a-token']) {
          const response = await send(rule.inScope, method, token);
          expect({ key, token, status: response.status, code: response.body.code }).toEqual({ key, token, status: 401, code: 'UNAUTHENTICATED' });
          expect(response.headers['www-authenticate']).toMatch(/^Bearer realm="one-million-initiatives"/);
          expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        }
      }
    });

    it('allows each role exactly what the table says, in scope, out of scope and held everywhere; refuses the rest with 403', async () => {
      const outcomes: string[] = [];
      const expected: string[] = [];
      const check = async (key: string, who: string, c: Case, allowed: boolean) => {
        const response = await send(c, key.split(' ')[0], tokens.get(who));
        const got = response.status === 403 ? 'forbidden' : response.status === 401 || response.status >= 500 ? `status ${response.status}` : 'allowed';
        if (response.status === 403) expect(response.body.code).toBe('FORBIDDEN');
        outcomes.push(`${key} as ${who}: ${got}`);
        expected.push(`${key} as ${who}: ${allowed ? 'allowed' : 'forbidden'}`);
      };
      for (const [key, rule] of Object.entries(table())) {
        await check(key, 'admin', rule.outOfScope, true);
        for (const role of ROLES) {
          const may = rule.roles.includes(role);
          await check(key, `${role}@in`, rule.inScope, rule.anyone === true || (may && !rule.global));
          await check(key, `${role}@in`, rule.outOfScope, rule.anyone === true);
          await check(key, `${role}@all`, rule.outOfScope, may);
        }
      }
      expect(outcomes).toEqual(expected);
    });
  });
}
