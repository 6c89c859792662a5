import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldError, ProblemException } from './problem';
import { validationProblem } from './problem.filter';

/**
 * Names an object inherits (`constructor`, `toString`, `__proto__`, …): no DTO declares one, and
 * the validator would look them up on the prototype and let them through, so they are refused here.
 */
const INHERITED_NAMES = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/** JSON allows arrays and scalars at the top; every command of ours takes an object. */
class ProblemValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Routes that take no body (NothingPipe) have no DTO: "no body" is theirs to judge.
    const isDto = typeof metadata.metatype === 'function' && metadata.metatype !== Object;
    if (metadata.type === 'body' && isDto && (value === null || typeof value !== 'object' || Array.isArray(value))) {
      throw new ProblemException(validationProblem([{ field: '(body)', message: 'must be a JSON object' }]));
    }
    if (metadata.type === 'body' || metadata.type === 'query') {
      const inherited = inheritedNames(value);
      if (inherited.length > 0) throw new ProblemException(validationProblem(inherited.map((field) => ({ field, message: 'unknown field' }))));
    }
    return super.transform(value, metadata);
  }
}

/** Paths of every member named like an inherited property, anywhere in the value (its depth is bounded by the body parser). */
function inheritedNames(value: unknown): string[] {
  const found: string[] = [];
  const pending: { value: unknown; path: string }[] = [{ value, path: '' }];
  while (pending.length > 0) {
    const { value: current, path } = pending.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (Array.isArray(current)) {
      current.forEach((item, i) => {
        if (item !== null && typeof item === 'object') pending.push({ value: item, path: `${path}[${i}]` });
      });
      continue;
    }
    for (const key of Object.keys(current)) {
      const field = path ? `${path}.${key}` : key;
      if (INHERITED_NAMES.has(key)) found.push(field);
      else pending.push({ value: (current as Record<string, unknown>)[key], path: field });
    }
  }
  return found;
}

/**
 * Bodies and queries are validated against their DTO classes: every offending field is listed,
 * and fields the DTO does not declare are refused (a typo must not be silently ignored).
 */
export function createValidationPipe(): ValidationPipe {
  return new ProblemValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ProblemException(validationProblem(flatten(errors))),
  });
}

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = /^\d+$/.test(error.property) ? `${prefix}[${error.property}]` : prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      field: field || '(body)',
      message: message.replace(/^property (\S+) should not exist$/, 'unknown field'),
    }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}
