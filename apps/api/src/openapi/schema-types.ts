import { ApiPropertyOptions } from '@nestjs/swagger';
import { ENTITY_ID_SCHEMA, VND_SCHEMA } from '../common/validators';

/** Schemas the response DTOs share: money is digits, dates are `date`, instants `date-time`, positions digits. */
export const ID = ENTITY_ID_SCHEMA;
export const MONEY = { ...VND_SCHEMA, description: 'Whole VND, a string of digits' } as const satisfies ApiPropertyOptions;
export const SIGNED_MONEY = { type: 'string', pattern: '^[+-]?\\d+$', description: 'A change of whole VND, signed digits' } as const satisfies ApiPropertyOptions;
export const DATE = { type: 'string', format: 'date' } as const satisfies ApiPropertyOptions;
export const INSTANT = { type: 'string', format: 'date-time' } as const satisfies ApiPropertyOptions;
export const POSITION = { type: 'string', pattern: '^\\d+$', description: 'A global log position (digits)' } as const satisfies ApiPropertyOptions;
export const COUNT = { type: 'integer', minimum: 0 } as const satisfies ApiPropertyOptions;
export const CURSOR = { type: 'string', nullable: true, description: 'Pass as ?cursor= for the next page; null on the last' } as const satisfies ApiPropertyOptions;
