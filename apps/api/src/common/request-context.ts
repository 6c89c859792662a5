import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { CommandContext } from '@app/event-store';
import { Principal, principalOf } from '../auth/principal';
import { createHash, randomUUID } from 'node:crypto';
import type { Request } from 'express';
import { MAX_JSON_DEPTH } from './json-limits';
import { problem, ProblemException } from './problem';

const HEADER_VALUE = /^[\x21-\x7e](?:[\x20-\x7e]{0,198}[\x21-\x7e])?$/;

/**
 * Who is acting. The only place that knows: the subject the access guard authenticated, X-Actor
 * being ignored. Only with AUTH=off (no principal) is it the X-Actor header (default "anonymous").
 */
export function actorOf(request: Request): Principal {
  const principal = principalOf(request);
  if (principal) return principal;
  const subject = optionalHeader(request, 'x-actor') ?? 'anonymous';
  return { subject, displayName: subject, credential: { kind: 'none', id: 'auth-off' } };
}

/**
 * Whose key space an Idempotency-Key belongs to: the one place that decides. Each authenticated
 * subject has its own, so that one client's key cannot collide with another's; with AUTH=off (no
 * subject anyone can trust) keys are global.
 */
export function idempotencyScopeOf(request: Request): string | undefined {
  return principalOf(request)?.subject;
}

/** Builds the command context of a request: actor, clock, correlation and idempotency. */
export function commandContextOf(request: Request, now: Date = new Date()): CommandContext {
  const key = optionalHeader(request, 'idempotency-key');
  const scope = key === undefined ? undefined : idempotencyScopeOf(request);
  const idempotencyKey = key !== undefined && scope !== undefined ? `${scope}:${key}` : key;
  const correlationId = optionalHeader(request, 'x-correlation-id') ?? randomUUID();
  const commandId = randomUUID();
  const { subject, displayName, credential } = actorOf(request);
  return {
    actor: subject,
    actorName: displayName,
    credential,
    now: now.toISOString(),
    commandId,
    correlationId,
    // What caused the command: the client's own message when it says so, else the command itself.
    causationId: optionalHeader(request, 'x-causation-id') ?? commandId,
    ...(idempotencyKey ? { idempotencyKey, requestHash: requestHash(request) } : {}),
  };
}

export const Command = createParamDecorator((_: unknown, ctx: ExecutionContext) => commandContextOf(ctx.switchToHttp().getRequest<Request>()));

function optionalHeader(request: Request, name: string): string | undefined {
  const value = request.headers[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !HEADER_VALUE.test(value)) {
    throw new ProblemException(
      problem(400, 'VALIDATION_FAILED', `Header ${name} must be 1–200 printable ASCII characters`, {
        errors: [{ field: `header:${name}`, message: 'must be 1–200 printable ASCII characters' }],
      }),
    );
  }
  return value;
}

/** Same route, same body (whatever the key order) → same hash. */
function requestHash(request: Request): string {
  return createHash('sha256')
    .update(`${request.method} ${request.path}\n${canonicalJson(request.body ?? null)}`)
    .digest('hex');
}

/** Bounded like the body it hashes (the parser refuses deeper ones), so that it can never exhaust the stack. */
function canonicalJson(value: unknown, depth = 0): string {
  if (depth > MAX_JSON_DEPTH) {
    throw new ProblemException(problem(400, 'JSON_TOO_DEEP', `The request body nests objects and arrays deeper than ${MAX_JSON_DEPTH} levels`, { limit: MAX_JSON_DEPTH }));
  }
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item, depth + 1)).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k], depth + 1)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
