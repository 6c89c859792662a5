import { isId, isLocalDate, isMemberNo, isTargetPercent, parseVnd } from '@app/domain';
import { applyDecorators } from '@nestjs/common';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsNotEmpty, IsOptional, IsString, MaxLength, registerDecorator, ValidationOptions } from 'class-validator';
import { Transform } from 'class-transformer';

function rule(name: string, message: string, test: (value: unknown) => boolean) {
  return (options?: ValidationOptions): PropertyDecorator =>
    (target, propertyKey) =>
      registerDecorator({
        name,
        target: target.constructor,
        propertyName: String(propertyKey),
        options: { message: `${String(propertyKey)} ${message}`, ...options },
        validator: { validate: (value: unknown) => test(value) },
      });
}

export const IsEntityId = rule('isEntityId', 'must be an id of 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit', isId);
export const IsLocalDateString = rule('isLocalDate', 'must be a calendar date YYYY-MM-DD (Vietnam local date)', isLocalDate);
export const IsTargetPercent = rule('isTargetPercent', 'must be a percentage above 0 and at most 100, with at most two decimals', isTargetPercent);
export const IsMemberNo = rule('isMemberNo', 'must be a union card number of 1–32 letters, digits or "-"', isMemberNo);
/** Whole VND: a non-negative JSON integer or a string of digits (for values beyond 2^53). */
export const IsVnd = rule('isVnd', 'must be a whole number of VND, as a non-negative integer or a string of digits', (v) => parseVnd(v) !== undefined);

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
/** A timestamp with an explicit offset: without one, "which day" would depend on the client's zone. */
export const IsInstant = rule(
  'isInstant',
  'must be an ISO-8601 timestamp with a time zone (e.g. 2022-05-31T20:00:00Z or 2022-06-01T03:00:00+07:00)',
  (v) => typeof v === 'string' && INSTANT.test(v) && !Number.isNaN(Date.parse(v)),
);

/** Normalises an accepted instant to UTC ISO-8601 so events store one form. */
export const ToIsoInstant = () =>
  Transform(({ value }) => (typeof value === 'string' && INSTANT.test(value) && !Number.isNaN(Date.parse(value)) ? new Date(value).toISOString() : value));

/** Text fields: non-empty, bounded. */
export const MAX_TEXT = 500;
export const IsText = (max = MAX_TEXT) => applyDecorators(IsString(), IsNotEmpty(), MaxLength(max));
export const IsOptionalText = (max = MAX_TEXT) => applyDecorators(IsOptional(), IsText(max));

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
    Transform(({ value }) => (Array.isArray(value) ? value.map(trimAuthor) : value)),
    IsArray(),
    ArrayMinSize(1),
    ArrayMaxSize(MAX_AUTHORS),
    IsAuthor(),
  );
