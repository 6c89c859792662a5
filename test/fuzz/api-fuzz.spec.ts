import { INestApplication } from '@nestjs/common';
import fc from 'fast-check';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@app/event-store';
import { authorized, createTestApp } from '../support/test-app';
import { BAC_KAN_PROGRAM, initiativeBody, unitBody } from '../support/bac-kan';

/**
 * Property-based fuzzing of every route on the embedded default: bodies, query strings and headers
 * drawn from valid requests with one thing broken, from hostile values, and from noise. Whatever is
 * sent, the answer is a 2xx, or a 4xx problem+json that wrote nothing; the log only grows on a 2xx.
 * Fixed seed and bounded runs in `npm test`; FUZZ_RUNS (and FUZZ_SEED) for a longer hunt.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 400);
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);

jest.setTimeout(Math.max(60_000, RUNS * 500));

const ids = fc.constantFrom('bk-2022', 'bk', 'na-ri', 'school', 'sk-1', 'sk-2', 'p1', 'all', 'nope', '-bad', 'x'.repeat(65), '%00', 'a.b');

/** Values meant to hurt: wrong types, blank and huge text, impossible dates, numbers at the edges, inherited names. */
const hostile = fc.oneof(
  fc.constantFrom<unknown>(
    null,
    true,
    '',
    '   ',
    'x'.repeat(600),
    '2022-02-30',
    '2022-13-01',
    '2022-02-30T10:00:00Z',
    '2022-05-31T24:00:00Z',
    '2022-05-31T20:00:00Z',
    '2022-05-31',
    '-1',
    '99999999999999999999999999',
    0,
    -1,
    1.5,
    1e308,
    2 ** 53 + 2,
    [],
    [''],
    ['  '],
    {},
    { constructor: 1 },
    { $ne: null },
    JSON.parse('{"__proto__":{"polluted":1}}'),
    Array.from({ length: 40 }).reduce<unknown>((inner) => [inner], 1),
  ),
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ maxLength: 30 }),
);

const EXTRA_KEYS = ['constructor', 'prototype', 'hasOwnProperty', 'toString', '__proto__', 'unknown', 'id', '$where', ''];

/** A valid body, or that body with one field replaced, removed or added, or something else altogether. */
function bodies(valid: Record<string, unknown>): fc.Arbitrary<unknown> {
  const keys = Object.keys(valid);
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant(valid) },
    { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...keys), hostile).map(([key, value]) => ({ ...valid, [key]: value })) },
    { weight: 2, arbitrary: fc.constantFrom(...keys).map((key) => Object.fromEntries(Object.entries(valid).filter(([k]) => k !== key))) },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...EXTRA_KEYS), hostile).map(([key, value]) => Object.defineProperty({ ...valid }, key, { value, enumerable: true })) },
    { weight: 1, arbitrary: hostile },
  );
}

interface Route {
  method: 'get' | 'post';
  path: fc.Arbitrary<string>;
  body?: fc.Arbitrary<unknown>;
  query?: Record<string, fc.Arbitrary<string>>;
}

const text = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('', '   ', 'true', '-1', '0', '1', '501', '2022-05-31', '2022-13-01T00:00Z', '2022-05-31T20:00Z', 'p1', 'bk', 'approved'));
const path = (template: (id: string, other: string) => string) => fc.tuple(ids, ids).map(([a, b]) => template(encodeURIComponent(a), encodeURIComponent(b)));

const ROUTES: Route[] = [
  { method: 'post', path: fc.constant('/programs'), body: bodies({ ...BAC_KAN_PROGRAM, id: 'bk-fuzz' }) },
  { method: 'post', path: path((id, phase) => `/programs/${id}/phases/${phase}/amend`), body: bodies({ from: '2022-01-26', to: '2022-05-31', targetPercent: 5, documentRef: 'QĐ' }) },
  { method: 'post', path: path((id) => `/programs/${id}/counting-rule`), body: bodies({ basis: 'submitted', date: 'submittedAt', documentRef: 'QĐ' }) },
  { method: 'post', path: path((id) => `/programs/${id}/eligibility`), body: bodies({ from: '2021-09-01', to: '2023-09-01', documentRef: 'QĐ' }) },
  { method: 'post', path: fc.constant('/units'), body: bodies(unitBody('fuzz-unit', 'grassroots', 'na-ri', 10)) },
  { method: 'post', path: path((id) => `/units/${id}/members`), body: bodies({ memberCount: 50, effectiveOn: '2022-06-01' }) },
  { method: 'post', path: path((id) => `/units/${id}/move`), body: bodies({ parentId: 'bk', effectiveOn: '2022-06-01', documentRef: 'QĐ' }) },
  { method: 'post', path: path((id) => `/units/${id}/merge`), body: bodies({ intoUnitId: 'school', documentRef: 'QĐ' }) },
  { method: 'post', path: path((id) => `/units/${id}/close`), body: bodies({ reason: 'giải thể' }) },
  { method: 'post', path: path((id) => `/programs/${id}/quotas`), body: bodies({ unitId: 'school', phaseId: 'p1', quota: 5, documentRef: '1144/LĐLĐ' }) },
  { method: 'post', path: fc.constant('/initiatives'), body: bodies(initiativeBody('sk-fuzz', 'school')) },
  { method: 'post', path: path((id) => `/initiatives/${id}/approve`), body: bodies({ decisionRef: 'QĐ-HĐSK', approvedAt: '2022-05-01T00:00:00Z', benefitValue: '1000' }) },
  { method: 'post', path: path((id) => `/initiatives/${id}/reject`), body: bodies({ reason: 'trùng' }) },
  { method: 'post', path: path((id) => `/initiatives/${id}/withdraw`), body: bodies({ reason: 'rút' }) },
  { method: 'post', path: path((id) => `/initiatives/${id}/revoke-approval`), body: bodies({ reason: 'sai', documentRef: 'QĐ' }) },
  { method: 'post', path: path((id) => `/initiatives/${id}/correct`), body: bodies({ changes: { title: 'Tên đúng', authors: ['Hoa'] }, reason: 'nhập sai' }) },
  { method: 'post', path: path((id) => `/initiatives/${id}/move`), body: bodies({ unitId: 'na-ri' }) },
  { method: 'get', path: path((id) => `/programs/${id}/progress`), query: { phaseId: text, parentId: text, kind: text, sort: text, limit: text, cursor: text } },
  { method: 'get', path: path((id) => `/programs/${id}/rankings`), query: { phaseId: text, parentId: text, kind: text, limit: text } },
  { method: 'get', path: path((id) => `/programs/${id}/finished-early`), query: { phaseId: text, limit: text, cursor: text } },
  { method: 'get', path: path((id) => `/units/${id}/progress`), query: { programId: text, asOf: text, on: text, rules: text } },
  { method: 'get', path: path((id) => `/units/${id}`), query: {} },
  { method: 'get', path: path((id) => `/units/${id}/children`), query: { limit: text, cursor: text } },
  { method: 'get', path: path((id) => `/units/${id}/history`), query: { programId: text, phaseId: text, subtree: text, from: text, to: text, limit: text, cursor: text } },
  { method: 'get', path: path((id) => `/units/${id}/verify`), query: { programId: text } },
  { method: 'get', path: fc.constant('/initiatives'), query: { programId: text, unitId: text, subtree: text, status: text, phaseId: text, q: text, limit: text, cursor: text } },
  { method: 'get', path: path((id) => `/initiatives/${id}`), query: {} },
  { method: 'post', path: fc.constant('/admin/verifications'), body: fc.oneof(fc.constant(undefined), fc.constant({}), hostile) },
  { method: 'get', path: path((id) => `/admin/verifications/${id}`), query: {} },
  { method: 'post', path: fc.constant('/admin/projections/progress/rebuild'), body: fc.oneof(fc.constant(undefined), fc.constant({}), hostile) },
  { method: 'get', path: fc.constant('/admin/projections'), query: {} },
];

/** Printable ASCII and a little Latin-1: what an HTTP client can put in a header at all. */
const headerText = fc.string({ unit: fc.constantFrom(...' !"#$%&\'()*+,-./09:;<=>?@AZ[\\]^_`az{|}~é'.split('')), maxLength: 220 });
const headerSets = fc.record(
  {
    'Idempotency-Key': fc.oneof(fc.constantFrom('key-1', 'key-2', 'key-3'), headerText),
    'X-Actor': headerText,
    'X-Correlation-Id': headerText,
    'X-Min-Position': fc.constantFrom('0', '1', '-1', 'x', '1e3', ''),
    'Content-Type': fc.constantFrom('application/json', 'text/plain', 'application/json; charset=latin1', 'application/json; charset=utf-16', 'application/x-www-form-urlencoded'),
  },
  { requiredKeys: [] },
);
const headers = fc.oneof({ weight: 3, arbitrary: fc.constant({}) }, { weight: 2, arbitrary: headerSets });

const requests = fc.oneof(
  ...ROUTES.map((route) =>
    fc.record({
      method: fc.constant(route.method),
      path: route.path,
      body: route.body ?? fc.constant(undefined),
      raw: fc.option(fc.string({ maxLength: 40 }), { freq: 8 }),
      query: fc.oneof(
        { weight: 4, arbitrary: fc.record(route.query ?? {}, { requiredKeys: [] }) },
        { weight: 1, arbitrary: fc.dictionary(fc.constantFrom(...EXTRA_KEYS, ...Object.keys(route.query ?? {})), text, { maxKeys: 3 }) },
      ),
      headers,
    }),
  ),
);

describe('fuzzing every route on the embedded default', () => {
  let app: INestApplication;
  let store: SqliteEventStore;
  const api = () => authorized(app);

  beforeAll(async () => {
    store = new SqliteEventStore(join(mkdtempSync(join(tmpdir(), 'fuzz-')), 'events.db'));
    app = await createTestApp({ eventStore: { instance: store }, readModels: { readModel: { kind: 'sqlite', path: ':memory:' }, projector: { embedded: true } } });
    await api().post('/programs').send(BAC_KAN_PROGRAM).expect(201);
    await api().post('/units').send(unitBody('bk', 'province', null, 12_000)).expect(201);
    await api().post('/units').send(unitBody('na-ri', 'district', 'bk', 2_000)).expect(201);
    await api().post('/units').send(unitBody('school', 'grassroots', 'na-ri', 40)).expect(201);
    await api().post('/initiatives').send(initiativeBody('sk-1', 'school')).expect(201);
    await api().post('/initiatives').send(initiativeBody('sk-2', 'school')).expect(201);
  });
  afterAll(async () => {
    await app.close();
  });

  it(`answers 2xx, or a 4xx problem+json that wrote nothing, to ${RUNS} generated requests (seed ${SEED})`, async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(requests, async (r) => {
        const before = await store.headPosition();
        let call = api()[r.method](r.path).query(r.query as Record<string, string>);
        for (const [name, value] of Object.entries(r.headers)) call = call.set(name, value as string);
        // Serialised here, so that the bytes sent are the same whatever Content-Type claims.
        const payload = r.raw ?? (r.body === undefined ? undefined : JSON.stringify(r.body));
        if (payload !== undefined && !('Content-Type' in r.headers)) call = call.set('Content-Type', 'application/json');
        const response = await (payload === undefined ? call : call.send(payload));
        const after = await store.headPosition();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        const seen = { status: response.status, code: response.body?.code, detail: response.body?.detail };
        expect(seen.status >= 200 && seen.status < 500 && !(seen.status >= 300 && seen.status < 400) ? 'ok' : seen).toBe('ok');
        if (response.status >= 400) {
          expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
          expect(response.body).toMatchObject({ status: response.status, code: expect.stringMatching(/^[A-Z][A-Z0-9_]*$/), detail: expect.any(String) });
          expect(after).toBe(before);
        } else {
          expect(after).toBeGreaterThanOrEqual(before);
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    // The generator must reach both sides: some requests accepted, most refused.
    const accepted = [...statuses].filter(([s]) => s < 300).reduce((n, [, c]) => n + c, 0);
    expect(accepted).toBeGreaterThanOrEqual(Math.max(1, RUNS / 200));
    expect(accepted).toBeLessThan(RUNS);
  });
});
