import { INestApplication } from '@nestjs/common';
import SwaggerParser from '@apidevtools/swagger-parser';
import request from 'supertest';
import { DOCS_PATH, OPENAPI_JSON_PATH } from '../../apps/api/src/openapi/openapi';
import { embeddedApp } from '../support/embedded-app';
import { registeredRoutes } from '../support/registered-routes';

interface Operation {
  parameters?: { name: string; in: string }[];
  responses: Record<string, { content?: Record<string, unknown> }>;
  security?: Record<string, string[]>[];
}
type Document = { openapi: string; paths: Record<string, Record<string, Operation>>; components: { securitySchemes: Record<string, { type: string; scheme: string }> } };

/** The served API description: valid OpenAPI 3, and exactly the routes the application registers. */
describe('the OpenAPI document', () => {
  let app: INestApplication;
  let document: Document;
  const api = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await embeddedApp();
    const response = await api().get(OPENAPI_JSON_PATH).expect(200);
    document = response.body;
  });
  afterAll(async () => {
    await app?.close();
  });

  it('is valid OpenAPI 3', async () => {
    expect(document.openapi).toMatch(/^3\./);
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
  });

  it('describes every route the application registers, and nothing else', () => {
    const described = Object.entries(document.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));
    // The description's own routes (the JSON and Swagger UI's files) are not API operations.
    const routes = registeredRoutes(app).filter((r) => r !== `GET ${OPENAPI_JSON_PATH}` && !r.startsWith(`GET ${DOCS_PATH}`));
    expect(routes.length).toBeGreaterThan(30);
    expect([...described].sort()).toEqual([...routes].sort());
  });

  it('declares the bearer scheme with 401/403 on every protected route, and leaves probes, metrics and the description public', () => {
    expect(document.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const where = `${method.toUpperCase()} ${path}`;
        if (path.startsWith('/health/') || path === '/metrics') {
          expect({ where, security: operation.security }).toEqual({ where, security: undefined });
          continue;
        }
        expect({ where, security: operation.security }).toEqual({ where, security: [{ bearer: [] }] });
        expect({ where, statuses: Object.keys(operation.responses) }).toEqual({ where, statuses: expect.arrayContaining(['401', '403']) });
      }
    }
  });

  it('documents problems, Idempotency-Key, minPosition, paging, money and dates', () => {
    const submit = document.paths['/initiatives'].post;
    expect(submit.parameters?.map((p) => p.name)).toContain('Idempotency-Key');
    expect(Object.keys(submit.responses)).toEqual(expect.arrayContaining(['201', '400', '404', '409', '422']));
    expect(submit.responses['422'].content).toHaveProperty(['application/problem+json']);
    const list = document.paths['/initiatives'].get;
    expect(list.parameters?.map((p) => `${p.in}:${p.name}`)).toEqual(expect.arrayContaining(['query:minPosition', 'header:X-Min-Position', 'query:limit', 'query:cursor', 'query:status']));
    const text = JSON.stringify(document);
    const schemas = (document as unknown as { components: { schemas: Record<string, { properties: Record<string, { type?: string; format?: string; pattern?: string }> }> } }).components.schemas;
    expect(schemas.ProgressRowDto.properties.benefitValue).toMatchObject({ type: 'string', pattern: '^\\d+$' });
    expect(schemas.InitiativeDocDto.properties.appliedOn).toMatchObject({ type: 'string', format: 'date' });
    expect(schemas.InitiativeDocDto.properties.submittedAt).toMatchObject({ type: 'string', format: 'date-time' });
    expect(text).toContain('"enum":["pending","approved","rejected","withdrawn","revoked"]');
  });

  it('serves Swagger UI from the package at /docs', async () => {
    const page = await api().get(`${DOCS_PATH}/`).redirects(1).expect(200);
    expect(page.text).toContain('swagger-ui');
    expect(page.text).not.toMatch(/https?:\/\/(cdn|unpkg|cdnjs)/);
    const init = await api().get(`${DOCS_PATH}/swagger-ui-init.js`).expect(200);
    expect(init.text).toContain('"openapi"');
  });
});
