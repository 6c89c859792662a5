import { ID_PATTERN, isId, isLocalDate, isTargetPercent, parseVnd } from '@app/domain';
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptions } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsNotEmpty, IsOptional, IsString, MaxLength, registerDecorator, ValidationOptions } from 'class-validator';
import { Transform } from 'class-transformer';

/** A validation rule and the OpenAPI schema of what it accepts, declared together so the two cannot drift apart. */
function rule(name: string, message: string, test: (value: unknown) => boolean, schema: ApiPropertyOptions) {
  return (options?: ValidationOptions): PropertyDecorator =>
    applyDecorators(ApiProperty({ description: message, ...schema } as ApiPropertyOptions), (target: object, propertyKey: string | symbol) =>
      registerDecorator({
        name,
        target: target.constructor,
        propertyName: String(propertyKey),
        options: { message: `${String(propertyKey)} ${message}`, ...options },
        validator: { validate: (value: unknown) => test(value) },
      }),
    );
}

export const ENTITY_ID_SCHEMA = { type: 'string', pattern: ID_PATTERN.source, example: 'bac-kan' } as const;
export const VND_SCHEMA = { type: 'string', pattern: '^\\d+$', example: '25000000' } as const;

export const IsEntityId = rule('isEntityId', 'must be an id of 1–64 ASCII letters, digits, ".", "_" or "-", starting with an ASCII letter or digit', isId, ENTITY_ID_SCHEMA);
export const IsLocalDateString = rule('isLocalDate', 'must be a calendar date YYYY-MM-DD (Vietnam local date)', isLocalDate, { type: 'string', format: 'date', example: '2022-03-15' });
export const IsTargetPercent = rule('isTargetPercent', 'must be a percentage above 0 and at most 100, with at most two decimals', isTargetPercent, {
  type: 'number',
  minimum: 0.01,
  maximum: 100,
  example: 5,
});
/** Whole VND: a non-negative JSON integer or a string of digits (for values beyond 2^53). */
export const IsVnd = rule('isVnd', 'must be a whole number of VND, as a non-negative integer or a string of digits', (v) => parseVnd(v) !== undefined, {
  oneOf: [VND_SCHEMA, { type: 'integer', minimum: 0 }],
});

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
/** A timestamp with an explicit offset: without one, "which day" would depend on the client's zone. */
export const IsInstant = rule(
  'isInstant',
  'must be an ISO-8601 timestamp with a time zone (e.g. 2022-05-31T20:00:00Z or 2022-06-01T03:00:00+07:00)',
  (v) => typeof v === 'string' && INSTANT.test(v) && !Number.isNaN(Date.parse(v)),
  { type: 'string', format: 'date-time', example: '2022-04-20T09:00:00+07:00' },
);

/** Normalises an accepted instant to UTC ISO-8601 so events store one form. */
export const ToIsoInstant = () =>
  Transform(({ value }) => (typeof value === 'string' && INSTANT.test(value) && !Number.isNaN(Date.parse(value)) ? new Date(value).toISOString() : value));

/** Text fields: non-empty, bounded. */
export const MAX_TEXT = 500;
export const IsText = (max = MAX_TEXT) => applyDecorators(ApiProperty({ type: 'string', minLength: 1, maxLength: max }), IsString(), IsNotEmpty(), MaxLength(max));
export const IsOptionalText = (max = MAX_TEXT) => applyDecorators(IsOptional(), IsText(max), ApiProperty({ required: false }));

const MAX_AUTHORS = 50;
/** One to fifty names of authors. */
export const IsAuthors = () =>
  applyDecorators(
    ApiProperty({ type: 'array', items: { type: 'string', minLength: 1, maxLength: 200 }, minItems: 1, maxItems: MAX_AUTHORS, example: ['Nguyễn Thị Hoa'] }),
    IsArray(),
    ArrayMinSize(1),
    ArrayMaxSize(MAX_AUTHORS),
    IsString({ each: true }),
    IsNotEmpty({ each: true }),
    MaxLength(200, { each: true }),
  );
