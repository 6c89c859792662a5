import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { UNIT_KINDS, UnitKind } from '@app/domain';
import { PROGRESS_SORTS, ProgressSort } from '@app/read-models';
import { IsEntityId, isInstant, IsLocalDateString, rule } from '../common/validators';
import { ApiInitiativeStatus, INITIATIVE_STATUSES } from '../initiatives/initiative-status';

export const MAX_LIMIT = 500;
const POSITION = /^(0|[1-9]\d{0,19})$/;

/**
 * Every query takes `minPosition` (read-your-writes). Query strings are strings: anything that is
 * not one (`?unitId[$ne]=x` parsed as an object) fails validation before reaching a store.
 */
export class ReadQueryDto {
  @ApiPropertyOptional({ type: 'string', pattern: POSITION.source, description: 'Read your writes: wait (up to 5 s) until the read models have reached this position' })
  @IsOptional()
  @Matches(POSITION, { message: 'minPosition must be a global position (a string of digits)' })
  minPosition?: string;
}

export class LimitQueryDto extends ReadQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_LIMIT)
  limit?: number;
}

/** An opaque cursor, as the previous page returned it. */
const IsCursor = () => applyDecorators(ApiPropertyOptional({ type: 'string', maxLength: 512, description: 'The previous page\'s nextCursor' }), IsOptional(), IsString(), MaxLength(512));

export class PagedQueryDto extends LimitQueryDto {
  @IsCursor()
  cursor?: string;
}

/** Which units' rows: a phase (or 'all', the default), the children of a parent, a kind of unit. */
export class UnitScopeQueryDto extends LimitQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsEntityId()
  phaseId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsEntityId()
  parentId?: string;

  @ApiPropertyOptional({ enum: UNIT_KINDS })
  @IsOptional()
  @IsIn(UNIT_KINDS)
  kind?: UnitKind;
}

export class ProgramProgressQueryDto extends UnitScopeQueryDto {
  @ApiPropertyOptional({ enum: PROGRESS_SORTS, default: 'unitId' })
  @IsOptional()
  @IsIn(PROGRESS_SORTS)
  sort?: ProgressSort;

  @IsCursor()
  cursor?: string;
}

/** Rankings come in one page (ranks are positions in it): no cursor. */
export class RankingsQueryDto extends UnitScopeQueryDto {}

export class FinishedEarlyQueryDto extends PagedQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsEntityId()
  phaseId?: string;
}

/** What had been recorded by then: a global position or an instant that exists (never silently another moment). */
const IsAsOf = rule('isAsOf', 'must be a global position (digits) or an ISO-8601 timestamp with a time zone that exists in the calendar', (v) => typeof v === 'string' && (POSITION.test(v) || isInstant(v)));

export class UnitProgressQueryDto extends ReadQueryDto {
  @IsEntityId()
  programId!: string;

  /** What had been recorded by then: a global position (digits) or a timestamp with a time zone. */
  @ApiPropertyOptional({ type: 'string', description: 'a global position (digits) or an ISO-8601 timestamp with a time zone', example: '2022-05-31T20:00:00Z' })
  @IsOptional()
  @IsAsOf()
  asOf?: string;

  /** The figures on a Vietnam local date, by the facts' own dates, as known today. */
  @ApiPropertyOptional()
  @IsOptional()
  @IsLocalDateString()
  on?: string;

  /** With asOf or on: recompute under today's rules instead of those in force then. */
  @ApiPropertyOptional({ enum: ['then', 'current'], default: 'then' })
  @IsOptional()
  @IsIn(['then', 'current'])
  rules?: 'then' | 'current';
}

export class UnitHistoryQueryDto extends PagedQueryDto {
  @IsEntityId()
  programId!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsEntityId()
  phaseId?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], default: 'false' })
  @IsOptional()
  @IsIn(['true', 'false'])
  subtree?: 'true' | 'false';

  /** Recorded on or after this Vietnam local date. */
  @ApiPropertyOptional()
  @IsOptional()
  @IsLocalDateString()
  from?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsLocalDateString()
  to?: string;
}

export class VerifyQueryDto extends ReadQueryDto {
  @IsEntityId()
  programId!: string;
}

export class InitiativesQueryDto extends PagedQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsEntityId()
  programId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsEntityId()
  unitId?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], default: 'false' })
  @IsOptional()
  @IsIn(['true', 'false'])
  subtree?: 'true' | 'false';

  @IsOptional()
  @ApiPropertyOptional({ enum: INITIATIVE_STATUSES, description: '`pending`: submitted, not yet decided' })
  @IsIn(INITIATIVE_STATUSES)
  status?: ApiInitiativeStatus;

  @ApiPropertyOptional()
  @IsOptional()
  @IsEntityId()
  phaseId?: string;

  @ApiPropertyOptional({ type: 'string', maxLength: 200, description: 'Matches title and authors, with or without diacritics' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;
}

export class ChildrenQueryDto extends PagedQueryDto {}

export const DEFAULT_LIMIT = 50;
