import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { problem, ProblemException } from '../common/problem';

const POSITION = /^(0|[1-9]\d{0,19})$/;

/**
 * The freshness a client asks for: `?minPosition=` or the `X-Min-Position` header (the query
 * parameter wins). Validated here because the header bypasses the DTO.
 */
export const MinPosition = createParamDecorator((_: unknown, ctx: ExecutionContext): string | undefined => {
  const request = ctx.switchToHttp().getRequest<Request>();
  const fromQuery = request.query.minPosition;
  const value = typeof fromQuery === 'string' ? fromQuery : request.headers['x-min-position'];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !POSITION.test(value)) {
    throw new ProblemException(
      problem(400, 'VALIDATION_FAILED', 'minPosition must be a global position (a string of digits)', {
        errors: [{ field: 'minPosition', message: 'must be a global position (a string of digits)' }],
      }),
    );
  }
  return value;
});
