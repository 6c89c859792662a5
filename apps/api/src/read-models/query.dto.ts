import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { UNIT_KINDS, UnitKind } from '@app/domain';
import { PROGRESS_SORTS, ProgressSort } from '@app/read-models';
import { IsEntityId, isInstant, IsLocalDateString, rule } from '../common/validators';

export const MAX_LIMIT = 500;
const POSITION = /^(0|[1-9]\d{0,19})$/;

/**
 * Every query takes `minPosition` (read-your-writes). Query strings are strings: anything that is
 * not one (`?unitId[$ne]=x` parsed as an object) fails validation before reaching a store.
 */
export class ReadQueryDto {
  @IsOptional()
  @Matches(POSITION, { message: 'minPosition must be a global position (a string of digits)' })
  minPosition?: string;
}

export class LimitQueryDto extends ReadQueryDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_LIMIT)
  limit?: number;
}

/** An opaque cursor, as the previous page returned it. */
const IsCursor = () => applyDecorators(IsOptional(), IsString(), MaxLength(512));

export class PagedQueryDto extends LimitQueryDto {
  @IsCursor()
  cursor?: string;
}

/** Which units' rows: a phase (or 'all', the default), the children of a parent, a kind of unit. */
export class UnitScopeQueryDto extends LimitQueryDto {
  @IsOptional()
  @IsEntityId()
  phaseId?: string;

  @IsOptional()
  @IsEntityId()
  parentId?: string;

  @IsOptional()
  @IsIn(UNIT_KINDS)
  kind?: UnitKind;
}

export class ProgramProgressQueryDto extends UnitScopeQueryDto {
  @IsOptional()
  @IsIn(PROGRESS_SORTS)
  sort?: ProgressSort;

  @IsCursor()
  cursor?: string;
}

/** Rankings come in one page (ranks are positions in it): no cursor. */
export class RankingsQueryDto extends UnitScopeQueryDto {}

export class FinishedEarlyQueryDto extends PagedQueryDto {
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
  @IsOptional()
  @IsAsOf()
  asOf?: string;

  /** The figures on a Vietnam local date, by the facts' own dates, as known today. */
  @IsOptional()
  @IsLocalDateString()
  on?: string;

  /** With asOf or on: recompute under today's rules instead of those in force then. */
  @IsOptional()
  @IsIn(['then', 'current'])
  rules?: 'then' | 'current';
}

export class UnitHistoryQueryDto extends PagedQueryDto {
  @IsEntityId()
  programId!: string;

  @IsOptional()
  @IsEntityId()
  phaseId?: string;

  @IsOptional()
  @IsIn(['true', 'false'])
  subtree?: 'true' | 'false';

  /** Recorded on or after this Vietnam local date. */
  @IsOptional()
  @IsLocalDateString()
  from?: string;

  @IsOptional()
  @IsLocalDateString()
  to?: string;
}

export class VerifyQueryDto extends ReadQueryDto {
  @IsEntityId()
  programId!: string;
}

export class InitiativesQueryDto extends PagedQueryDto {
  @IsOptional()
  @IsEntityId()
  programId?: string;

  @IsOptional()
  @IsEntityId()
  unitId?: string;

  @IsOptional()
  @IsIn(['true', 'false'])
  subtree?: 'true' | 'false';

  @IsOptional()
  @IsIn(['submitted', 'approved', 'rejected', 'withdrawn', 'revoked'])
  status?: 'submitted' | 'approved' | 'rejected' | 'withdrawn' | 'revoked';

  @IsOptional()
  @IsEntityId()
  phaseId?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;
}

export class ChildrenQueryDto extends PagedQueryDto {}

export const DEFAULT_LIMIT = 50;
