import type { NextFunction, Request, Response } from 'express';
import { json } from 'express';
import { jsonShapeViolation, MAX_BODY_BYTES, MAX_PLAN_BODY_BYTES } from './json-limits';
import { Problem, problem, PROBLEM_CONTENT_TYPE } from './problem';

function send(request: Request, response: Response, body: Problem): void {
  response.status(body.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify({ ...body, instance: request.originalUrl }));
}

/** A body in another format would be silently read as empty; refuse it instead. */
function requireJson(request: Request, response: Response, next: NextFunction): void {
  const hasBody = Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'] !== undefined;
  if (hasBody && !request.is('application/json')) return send(request, response, problem(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the request body as application/json'));
  next();
}

class JsonShapeError extends Error {
  readonly type = 'entity.shape.refused';
  constructor(readonly problem: Problem) {
    super(problem.detail);
  }
}

/** Runs on the raw (decompressed) bytes, before JSON.parse: too deep or too wide is refused unparsed. */
function checkShape(_request: Request, _response: Response, body: Buffer): void {
  const violation = jsonShapeViolation(body);
  if (violation?.kind === 'depth') {
    throw new JsonShapeError(problem(400, 'JSON_TOO_DEEP', `The request body nests objects and arrays deeper than ${violation.limit} levels`, { limit: violation.limit }));
  }
  if (violation?.kind === 'members') {
    throw new JsonShapeError(problem(413, 'TOO_MANY_FIELDS', `The request body holds more than ${violation.limit} fields`, { limit: violation.limit }));
  }
}

/** Errors of the JSON parser (express) carry a `type` such as 'entity.parse.failed'. */
function parserErrors(error: unknown, request: Request, response: Response, next: NextFunction): void {
  const failure = error as { type?: unknown; status?: unknown; problem?: Problem } | null;
  switch (failure?.type) {
    case 'entity.parse.failed':
      return send(request, response, problem(400, 'MALFORMED_JSON', 'The request body is not valid JSON'));
    case 'entity.shape.refused':
      return send(request, response, failure.problem!);
    case 'entity.too.large': {
      const limit = bodyLimitOf(request);
      return send(request, response, problem(413, 'PAYLOAD_TOO_LARGE', `The request body is larger than ${limit} bytes`, { limit }));
    }
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return send(request, response, problem(415, 'UNSUPPORTED_MEDIA_TYPE', 'The request body must be UTF-8 JSON'));
    default:
      // What remains of the body reader's 4xx: a body that does not decode as its Content-Encoding
      // says (zlib errors), a length that does not match Content-Length, an aborted upload.
      if (typeof failure?.status === 'number' && failure.status >= 400 && failure.status < 500) {
        return send(request, response, problem(400, 'MALFORMED_BODY', 'The request body could not be read as sent (check Content-Encoding and Content-Length)'));
      }
      next(error);
  }
}

/** The routes whose bodies may be larger than MAX_BODY_BYTES, by method and path. */
const LARGER_BODIES: ReadonlyMap<string, number> = new Map([['POST /admin/reorganisations', MAX_PLAN_BODY_BYTES]]);

function bodyLimitOf(request: Request): number {
  return LARGER_BODIES.get(`${request.method} ${request.path.replace(/\/+$/, '')}`) ?? MAX_BODY_BYTES;
}

const parsers = new Map([MAX_BODY_BYTES, ...LARGER_BODIES.values()].map((limit) => [limit, json({ limit, strict: false, verify: checkShape })]));

function parseJson(request: Request, response: Response, next: NextFunction): void {
  parsers.get(bodyLimitOf(request))!(request, response, next);
}

/** Express middlewares, in order, that turn a request body into a JSON value or a problem. */
export const jsonBody = [requireJson, parseJson, parserErrors];
