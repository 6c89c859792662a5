import { applyDecorators, HttpStatus, Type } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiHeader, ApiOperation, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { CommandResponseDto } from './command-response.dto';
import { ProblemDto } from './problem.dto';

export const PROBLEM_JSON = 'application/problem+json';

/** The codes each status may carry; a route lists its own, the rest is common to every route of a kind. */
export type ProblemCodes = Partial<Record<400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 503, string[]>>;

const DESCRIPTIONS: Record<number, string> = {
  400: 'Bad request',
  401: 'No valid credentials',
  403: 'Not allowed for this role or unit',
  404: 'Not found',
  409: 'Conflict',
  413: 'Body too large',
  415: 'Not JSON',
  422: 'Refused by a domain rule',
  503: 'Temporarily unavailable (with Retry-After)',
};

/** Documents problem+json answers by status, each naming the `code`s it may carry (as an enum, so clients can switch on it). */
export function ApiProblems(codes: ProblemCodes): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDto),
    ...Object.entries(codes).map(([status, list]) =>
      ApiResponse({
        status: Number(status),
        description: `${DESCRIPTIONS[Number(status)]}: ${list!.map((c) => `\`${c}\``).join(', ')}`,
        content: {
          [PROBLEM_JSON]: {
            schema: { allOf: [{ $ref: getSchemaPath(ProblemDto) }, { type: 'object', properties: { code: { type: 'string', enum: list } } }] },
          },
        },
      }),
    ),
  );
}

/**
 * Every route but the probes, metrics and the API description needs a bearer token (a JWT or an
 * API key `omi_<keyId>_<secret>`). Declared once here, so the security scheme and its two
 * problems are the same on every protected route.
 */
export function ApiProtected(): MethodDecorator & ClassDecorator {
  return applyDecorators(ApiBearerAuth('bearer'), ApiProblems({ 401: ['UNAUTHENTICATED'], 403: ['FORBIDDEN'] }));
}

const COMMON_BODY_PROBLEMS: ProblemCodes = { 400: ['VALIDATION_FAILED', 'MALFORMED_JSON'], 413: ['PAYLOAD_TOO_LARGE'], 415: ['UNSUPPORTED_MEDIA_TYPE'] };

/** A command: the Idempotency-Key and correlation headers, `{ id, position }`, and the problems it may answer. */
export function ApiCommand(options: { summary: string; status?: HttpStatus.OK | HttpStatus.CREATED | HttpStatus.ACCEPTED; problems?: ProblemCodes; response?: Type<unknown> }) {
  const problems = mergeProblems(COMMON_BODY_PROBLEMS, { 422: ['IDEMPOTENCY_KEY_REUSED'] }, options.problems ?? {});
  return applyDecorators(
    ApiOperation({ summary: options.summary }),
    ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Makes the command safe to retry: the same key and body answer like the first time and write nothing', schema: { type: 'string', maxLength: 200 } }),
    ...CORRELATION_HEADERS,
    ApiResponse({ status: options.status ?? HttpStatus.CREATED, description: 'Done', type: options.response ?? CommandResponseDto }),
    ApiProblems(problems),
  );
}

/** A query: read-your-writes (`minPosition` or `X-Min-Position`), its answer, and its problems. */
export function ApiRead(options: { summary: string; response: Type<unknown>; problems?: ProblemCodes }) {
  return applyDecorators(
    ApiOperation({ summary: options.summary }),
    ApiHeader({ name: 'X-Min-Position', required: false, description: 'Like ?minPosition= (the query parameter wins)', schema: { type: 'string', pattern: '^(0|[1-9]\\d{0,19})$' } }),
    ...CORRELATION_HEADERS,
    ApiResponse({ status: HttpStatus.OK, description: 'OK', type: options.response }),
    ApiProblems(mergeProblems({ 400: ['VALIDATION_FAILED'], 503: ['READ_MODEL_BEHIND'] }, options.problems ?? {})),
  );
}

/** Admin routes that are neither commands on the log nor read-model queries. */
export function ApiAdmin(options: { summary: string; status?: HttpStatus; response: Type<unknown>; problems?: ProblemCodes }) {
  return applyDecorators(
    ApiOperation({ summary: options.summary }),
    ...CORRELATION_HEADERS,
    ApiResponse({ status: options.status ?? HttpStatus.OK, description: 'OK', type: options.response }),
    ApiProblems(mergeProblems({ 400: ['VALIDATION_FAILED'] }, options.problems ?? {})),
  );
}

const CORRELATION_HEADERS = [
  ApiHeader({ name: 'X-Correlation-Id', required: false, description: 'Stored with every event and logged; generated when absent', schema: { type: 'string', maxLength: 200 } }),
  ApiHeader({ name: 'X-Causation-Id', required: false, description: 'What caused the command (stored with its events)', schema: { type: 'string', maxLength: 200 } }),
];

function mergeProblems(...all: ProblemCodes[]): ProblemCodes {
  const merged: Record<number, string[]> = {};
  for (const codes of all) for (const [status, list] of Object.entries(codes)) merged[Number(status)] = [...new Set([...(merged[Number(status)] ?? []), ...list!])];
  return merged;
}
