import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request } from 'express';
import { LoggerModule } from 'nestjs-pino';
import { actorOf } from '../common/request-context';
import { methodOf, routeTemplateOf } from '../common/route-template';
import { LoggingConfig } from './logging.config';

const CORRELATION_ID = /^[\x21-\x7e]{1,200}$/;

/** The client's X-Correlation-Id when it sent a usable one, else a new one; echoed back in the response. */
function correlationIdOf(request: IncomingMessage, response: ServerResponse): string {
  const sent = request.headers['x-correlation-id'];
  const id = typeof sent === 'string' && CORRELATION_ID.test(sent) ? sent : randomUUID();
  response.setHeader('X-Correlation-Id', id);
  return id;
}

/** Who asked: whatever the request context says the actor is (a malformed header is not worth a second error). */
function subjectOf(request: Request): string {
  try {
    return actorOf(request).subject;
  } catch {
    return 'invalid';
  }
}

/**
 * One line per request with what an operator filters by (the correlation id is bound to every line
 * of the request); never headers, bodies or query strings (they may carry secrets).
 */
function requestLine(request: IncomingMessage, response: ServerResponse, responseTime: number) {
  const req = request as Request;
  return { method: methodOf(req), route: routeTemplateOf(req), status: response.statusCode, durationMs: responseTime, subject: subjectOf(req) };
}

/** Structured JSON logs through pino for the whole application, Nest's own messages included. */
export function loggingModule(config: LoggingConfig) {
  return LoggerModule.forRoot({
    pinoHttp: {
      level: config.level,
      genReqId: correlationIdOf,
      quietReqLogger: true,
      quietResLogger: true,
      customAttributeKeys: { reqId: 'correlationId' },
      customSuccessObject: (req, res, value: { responseTime: number }) => requestLine(req, res, value.responseTime),
      // A failure's stack is logged where it is caught (the problem filter); the request line stays one line.
      customErrorObject: (req, res, _error, value: { responseTime: number }) => requestLine(req, res, value.responseTime),
      customSuccessMessage: () => 'request completed',
      customErrorMessage: () => 'request failed',
      // 4xx are the client's business, and so is a 503 (read model behind, not ready: retry later); other 5xx are ours.
      customLogLevel: (_req, res, error) => (error || (res.statusCode >= 500 && res.statusCode !== 503) ? 'error' : 'info'),
      ...(config.pretty ? { transport: { target: 'pino-pretty', options: { colorize: true, singleLine: true } } } : {}),
    },
  });
}
