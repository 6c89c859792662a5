import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import type { Request } from 'express';
import { problem, ProblemException } from '../common/problem';
import { principalOf } from './principal';

/** Counts requests per credential (per address before one is known); the throttler sets Retry-After. */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    const principal = principalOf(request as unknown as Request);
    return principal ? `${principal.credential.kind}:${principal.credential.id}:${principal.subject}` : `ip:${String(request.ip)}`;
  }

  protected override async throwThrottlingException(_: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const retryAfterSeconds = Math.max(1, Math.ceil(detail.timeToBlockExpire));
    throw new ProblemException(
      problem(429, 'RATE_LIMITED', `More than ${detail.limit} requests in ${Math.round(detail.ttl / 1000)} s from this credential; retry after ${retryAfterSeconds} s`, {
        retryAfterSeconds,
      }),
    );
  }
}
