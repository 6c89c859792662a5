import { ID_PATTERN, isId, isLocalDate, isMemberNo, isTargetPercent, parseVnd } from '@app/domain';
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptions } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
  registerDecorator,
  ValidateNested,
  ValidationOptions,
} from 'class-validator';
import { Transform, Type } from 'class-transformer';

/** A validation rule and the OpenAPI schema of what it accepts, declared together so the two cannot drift apart. */
export function rule(name: string, message: string, test: (value: unknown) => boolean, schema: ApiPropertyOptions = {}) {
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

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|([+-])(\d{2}):(\d{2}))$/;

/**
 * An ISO-8601 timestamp with an explicit offset whose every part exists: no 30 February, no hour 24,
 * no second 60 (the platform's parser would silently roll those over into another day).
 */
export function isInstant(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = INSTANT.exec(value);
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((part) => Number(part ?? 0));
  const offsetHours = Number(match[9] ?? 0);
  const offsetMinutes = Number(match[10] ?? 0);
  const date = new Date(Date.UTC(year, month - 1, day));
  const dayExists = year >= 1 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return dayExists && hour <= 23 && minute <= 59 && second <= 59 && offsetHours <= 14 && offsetMinutes <= 59 && !Number.isNaN(Date.parse(value));
}
export const IsMemberNo = rule('isMemberNo', 'must be a union card number of 1–32 ASCII letters, digits or "-"', isMemberNo, { type: 'string', pattern: '^[A-Za-z0-9-]{1,32}$' });

/** A timestamp with an explicit offset: without one, "which day" would depend on the client's zone. */
export const IsInstant = rule(
  'isInstant',
  'must be an ISO-8601 timestamp with a time zone (e.g. 2022-05-31T20:00:00Z or 2022-06-01T03:00:00+07:00) that exists in the calendar',
  isInstant,
  { type: 'string', format: 'date-time', example: '2022-04-20T09:00:00+07:00' },
);

/** Normalises an accepted instant to UTC ISO-8601 so events store one form. */
export const ToIsoInstant = () => Transform(({ value }) => (isInstant(value) ? new Date(value).toISOString() : value));

/** A nested object the command needs: absent, null, an array or a scalar is a field error, not a crash later. */
export const IsNestedObject = (type: () => new () => object) => applyDecorators(IsDefined(), IsObject(), ValidateNested(), Type(type));
export const IsOptionalNestedObject = (type: () => new () => object) => applyDecorators(IsOptional(), IsObject(), ValidateNested(), Type(type));

const notBlank = (v: unknown) => typeof v === 'string' && v.trim().length > 0;
/** Text that is only spaces says nothing; it would be stored as an empty string once trimmed. */
const IsNotBlank = rule('isNotBlank', 'must not be empty or only spaces', notBlank);

/** Text fields: non-empty, bounded. */
export const MAX_TEXT = 500;
export const IsText = (max = MAX_TEXT) => applyDecorators(ApiProperty({ type: 'string', minLength: 1, maxLength: max }), IsString(), IsNotBlank(), MaxLength(max));
export const IsOptionalText = (max = MAX_TEXT) => applyDecorators(IsOptional(), IsText(max), ApiProperty({ required: false }));

const MAX_AUTHORS = 50;
const MAX_NAME = 200;
const isName = (v: unknown) => typeof v === 'string' && v.trim().length > 0 && v.length <= MAX_NAME;
/** A name, or a union member: `{ name, memberNo }` and nothing else. */
const isAuthor = (v: unknown) =>
  isName(v) ||
  (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).sort().join() === 'memberNo,name' && isName((v as { name: unknown }).name) && isMemberNo((v as { memberNo: unknown }).memberNo));
const trimAuthor = (v: unknown) =>
  typeof v === 'string' ? v.trim() : isAuthor(v) ? { name: (v as { name: string }).name.trim(), memberNo: (v as { memberNo: string }).memberNo } : v;
const IsAuthor = rule(
  'isAuthor',
  `must each be a name (1–${MAX_NAME} characters) or { "name": ..., "memberNo": ... } with a union card number of 1–32 letters, digits or "-"`,
  (v) => Array.isArray(v) && v.every(isAuthor),
);
/** One to fifty authors, each a name or a union member with their card number. */
export const IsAuthors = () =>
  applyDecorators(
    ApiProperty({
      type: 'array',
      items: { oneOf: [{ type: 'string', minLength: 1, maxLength: 200 }, { type: 'object', required: ['name', 'memberNo'], properties: { name: { type: 'string', minLength: 1, maxLength: 200 }, memberNo: { type: 'string', pattern: '^[A-Za-z0-9-]{1,32}$' } }, additionalProperties: false }] },
      minItems: 1,
      maxItems: MAX_AUTHORS,
      example: ['Nguyễn Thị Hoa', { name: 'Trần Văn Minh', memberNo: 'CD-0012345' }],
    }),
    Transform(({ value }) => (Array.isArray(value) ? value.map(trimAuthor) : value)),
    IsArray(),
    ArrayMinSize(1),
    ArrayMaxSize(MAX_AUTHORS),
    IsAuthor(),
  );
