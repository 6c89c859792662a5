import type { NextFunction, Request, Response } from 'express';
import { json } from 'express';
import { Problem, problem, PROBLEM_CONTENT_TYPE } from './problem';

const LIMIT = '1mb';

function send(request: Request, response: Response, body: Problem): void {
  response.status(body.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify({ ...body, instance: request.originalUrl }));
}

/** A body in another format would be silently read as empty; refuse it instead. */
function requireJson(request: Request, response: Response, next: NextFunction): void {
  const hasBody = Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'] !== undefined;
  if (hasBody && !request.is('application/json')) return send(request, response, problem(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the request body as application/json'));
  next();
}

/** Errors of the JSON parser (express) carry a `type` such as 'entity.parse.failed'. */
function parserErrors(error: unknown, request: Request, response: Response, next: NextFunction): void {
  switch ((error as { type?: unknown } | null)?.type) {
    case 'entity.parse.failed':
      return send(request, response, problem(400, 'MALFORMED_JSON', 'The request body is not valid JSON'));
    case 'entity.too.large':
      return send(request, response, problem(413, 'PAYLOAD_TOO_LARGE', `The request body is larger than ${LIMIT}`));
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return send(request, response, problem(415, 'UNSUPPORTED_MEDIA_TYPE', 'The request body must be UTF-8 JSON'));
    default:
      next(error);
  }
}

/** Express middlewares, in order, that turn a request body into a JSON value or a problem. */
export const jsonBody = [requireJson, json({ limit: LIMIT, strict: false }), parserErrors];
