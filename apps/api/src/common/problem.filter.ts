import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { DomainError } from '@app/domain';
import { ConcurrentModificationError, EventStoreUnavailableError, IdempotencyKeyNotRecordedError, IdempotencyKeyReusedError } from '@app/event-store';
import { InvalidCursorError } from '@app/read-models';
import type { Request, Response } from 'express';
import { FieldError, Problem, problem, PROBLEM_CONTENT_TYPE, ProblemException } from './problem';

const STATUS_OF_KIND: Record<DomainError['kind'], number> = { rule: 422, not_found: 404, conflict: 409 };

/** How long a client should wait before retrying while the event store cannot be written. */
const STORE_RETRY_AFTER_SECONDS = 5;

/** Renders every error, from validation to the event store, as one problem format. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problem');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const body: Problem = { ...this.toProblem(error), instance: request.originalUrl };
    if (error instanceof EventStoreUnavailableError || error instanceof IdempotencyKeyNotRecordedError) this.logger.warn(error.message);
    if (body.code === 'INTERNAL_ERROR') this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    if (body.status === 503 && typeof body.retryAfterSeconds === 'number') response.setHeader('Retry-After', String(body.retryAfterSeconds));
    response.status(body.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
  }

  private toProblem(error: unknown): Problem {
    if (error instanceof ProblemException) return error.problem;
    if (error instanceof DomainError) {
      return problem(STATUS_OF_KIND[error.kind], error.code, error.message, Object.keys(error.details).length ? { details: error.details } : {});
    }
    if (error instanceof ConcurrentModificationError) return problem(409, error.code, error.message, { details: { stream: error.streamId } });
    if (error instanceof IdempotencyKeyReusedError) return problem(422, error.code, error.message);
    if (error instanceof EventStoreUnavailableError) {
      const written =
        error.written === 'unknown'
          ? 'the connection dropped while the command was being written: it may have landed. Retry with the same Idempotency-Key, which lands it once.'
          : 'nothing was written. Retry later.';
      return problem(503, 'EVENT_STORE_UNAVAILABLE', `The event store cannot be reached or written right now (disk full, read-only or failing storage, server unreachable); ${written}`, {
        retryAfterSeconds: STORE_RETRY_AFTER_SECONDS,
      });
    }
    if (error instanceof IdempotencyKeyNotRecordedError) {
      return problem(
        503,
        'IDEMPOTENCY_KEY_NOT_RECORDED',
        `The command was written (its last event is at position ${error.position}) but its Idempotency-Key could not be recorded. Retry with the same key and body: the retry completes the record and writes the command no second time.`,
        { written: true, position: error.position.toString(), retryAfterSeconds: STORE_RETRY_AFTER_SECONDS },
      );
    }
    if (error instanceof InvalidCursorError) {
      return problem(400, 'INVALID_CURSOR', error.message, { errors: [{ field: 'cursor', message: 'is not a cursor this service issued' }] });
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      if (status === 404) return problem(404, 'ROUTE_NOT_FOUND', error.message);
      return problem(status, `HTTP_${status}`, error.message);
    }
    return problem(500, 'INTERNAL_ERROR', 'The service failed to handle the request; nothing was written unless a position was returned');
  }
}

/** An error lists this many offending fields at most (and how many there were): its size stays bounded whatever was sent. */
export const MAX_LISTED_ERRORS = 20;

export function validationProblem(errors: FieldError[]): Problem {
  const listed = errors.slice(0, MAX_LISTED_ERRORS);
  const fields = [...new Set(listed.map((e) => e.field))].join(', ');
  const more = errors.length > listed.length ? ` and ${errors.length - listed.length} more errors` : '';
  return problem(400, 'VALIDATION_FAILED', `The request has invalid fields: ${fields}${more}`, {
    errors: listed,
    ...(more ? { errorCount: errors.length } : {}),
  });
}
