import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

export const OPENAPI_JSON_PATH = '/openapi.json';
export const DOCS_PATH = '/docs';

/** The OpenAPI 3 description, generated from the controllers and DTOs. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('01 triệu sáng kiến')
    .setDescription(
      [
        "Event-sourced backend of the programme. Every error is `application/problem+json` with a stable `code`.",
        'Money is whole VND as a string of digits; dates are Vietnam local dates (`format: date`); instants carry an offset (`date-time`).',
        'Commands answer `{ id, position }`: pass `position` back as `minPosition` (or `X-Min-Position`) to read your own writes.',
        '`Idempotency-Key` makes any command safe to retry. Lists are paged with `limit` and the `nextCursor` of the previous page.',
      ].join('\n\n'),
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An OIDC JWT, or an API key `omi_<keyId>_<secret>`' }, 'bearer')
    .build();
  return SwaggerModule.createDocument(app, config, { operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}` });
}

/** Serves the document at /openapi.json and Swagger UI (from swagger-ui-dist, no CDN) at /docs. */
export function setupOpenApi(app: INestApplication): OpenAPIObject {
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup(DOCS_PATH.slice(1), app, document, { jsonDocumentUrl: OPENAPI_JSON_PATH.slice(1), raw: ['json'], customSiteTitle: '01 triệu sáng kiến — API' });
  return document;
}
