import { INestApplication } from '@nestjs/common';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { Freshness } from '../../apps/api/src/read-models/freshness';
import { BAC_KAN_PROGRAM, initiativeBody, unitBody } from '../support/bac-kan';
import { embeddedApp } from '../support/embedded-app';
import { authorized } from '../support/test-app';
import { arbitraryFor, Schema } from '../support/schema-arbitrary';

jest.setTimeout(120_000);

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: Schema;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

const SEED = 20_220_126;
const CASES_PER_OPERATION = 20;
/** Ids that exist in the fixture, so that generated requests reach the handlers, not only the 404s. */
const KNOWN_IDS = ['bk-2022', 'prov', 'na-ri', 'sk-1', 'sk-2', 'p1', 'p2', 'progress'];

interface Case {
  path: Record<string, string>;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
}

/**
 * A schema-driven fuzzer: requests generated from the served OpenAPI document (fixed seed, bounded
 * cases) against the embedded service. Every answer must be a documented status below 500, with a
 * body that validates against the documented schema for that status.
 */
describe('schema-driven fuzzing of the API against its own OpenAPI document', () => {
  let app: INestApplication;
  let document: Document;
  const api = () => authorized(app);

  beforeAll(async () => {
    app = await embeddedApp();
    app.get(Freshness).maxWaitMs = 50;
    document = (await api().get('/openapi.json').expect(200)).body;
    await api().post('/programs').send(BAC_KAN_PROGRAM).expect(201);
    await api().post('/units').send(unitBody('prov', 'province', null, 100)).expect(201);
    await api().post('/units').send(unitBody('na-ri', 'district', 'prov', 1000)).expect(201);
    await api().post('/initiatives').send(initiativeBody('sk-1', 'na-ri')).expect(201);
    await api().post('/initiatives').send(initiativeBody('sk-2', 'prov')).expect(201);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('finds no 5xx, no undocumented status and no answer that breaks its schema', async () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(asJsonSchema(document) as object, 'doc');
    const resolve = (ref: string) => document.components.schemas[ref.replace('#/components/schemas/', '')];
    const failures: string[] = [];
    let sent = 0;
    for (const [template, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        for (const c of fc.sample(caseFor(operation, resolve), { seed: SEED, numRuns: CASES_PER_OPERATION })) {
          const path = template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(c.path[name]));
          let call = api()[method as 'get' | 'post'](path).query(c.query).set(c.headers);
          if (c.body !== undefined) call = call.set('content-type', 'application/json').send(JSON.stringify(c.body));
          const response = await call;
          sent++;
          const where = `${method.toUpperCase()} ${path}?${new URLSearchParams(c.query)} ${c.body === undefined ? '' : JSON.stringify(c.body).slice(0, 300)} → ${response.status}`;
          const documented = operation.responses[String(response.status)];
          if (response.status >= 500) failures.push(`${where}: ${response.text.slice(0, 300)}`);
          else if (!documented) failures.push(`${where}: status not documented (${response.body?.code ?? ''})`);
          else {
            const type = String(response.headers['content-type'] ?? '').split(';')[0];
            if (!documented.content?.[type]) {
              failures.push(`${where}: content type ${type} not documented`);
              continue;
            }
            const pointer = `doc#/paths/${template.replace(/~/g, '~0').replace(/\//g, '~1')}/${method}/responses/${response.status}/content/${type.replace(/\//g, '~1')}/schema`;
            const validate = ajv.getSchema(pointer) ?? ajv.compile({ $ref: pointer });
            const body = type === 'text/plain' ? response.text : response.body;
            if (!validate(body)) failures.push(`${where}: breaks its schema: ${ajv.errorsText(validate.errors)} in ${JSON.stringify(body).slice(0, 300)}`);
          }
        }
      }
    }
    expect(sent).toBeGreaterThan(300);
    expect(failures).toEqual([]);
  });
});

/** OpenAPI 3.0's `nullable: true` (also beside `allOf`/`$ref`) is JSON Schema's `null` as an alternative. */
function asJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(asJsonSchema);
  if (!node || typeof node !== 'object') return node;
  const { nullable, ...rest } = node as Record<string, unknown>;
  const converted = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, asJsonSchema(v)]));
  return nullable === true ? { anyOf: [{ type: 'null' }, converted] } : converted;
}

function caseFor(operation: Operation, resolve: (ref: string) => Schema): fc.Arbitrary<Case> {
  const params = operation.parameters ?? [];
  const pathParams = params.filter((p) => p.in === 'path');
  const path = fc.record(Object.fromEntries(pathParams.map((p) => [p.name, fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...KNOWN_IDS) }, { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 70 }) })])));
  const query = fc.record(
    Object.fromEntries(
      params
        .filter((p) => p.in === 'query')
        // Read-your-writes beyond the head would wait and answer a (documented) 503: stay at the head.
        .map((p) => [p.name, p.name === 'minPosition' ? fc.constantFrom('0', '1') : arbitraryFor(p.schema, resolve).map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v)))]),
    ),
    { requiredKeys: params.filter((p) => p.in === 'query' && p.required).map((p) => p.name) },
  );
  const headers = fc.record({ 'Idempotency-Key': fc.stringMatching(/^[a-z0-9-]{1,20}$/) }, { requiredKeys: [] });
  const bodySchema = operation.requestBody?.content['application/json']?.schema;
  const body = bodySchema ? arbitraryFor(bodySchema, resolve) : fc.constant(undefined);
  return fc.record({ path, query: query as fc.Arbitrary<Record<string, string>>, headers: headers as fc.Arbitrary<Record<string, string>>, body });
}
