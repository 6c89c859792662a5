import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { UNIT_KINDS, UnitKind } from '@app/domain';
import { PROGRESS_SORTS, ProgressSort } from '@app/read-models';
import { IsEntityId } from '../common/validators';

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

export class PagedQueryDto extends ReadQueryDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_LIMIT)
  limit?: number;

  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}

export class ProgramProgressQueryDto extends PagedQueryDto {
  /** A phase id, or 'all' (the default) for the whole programme. */
  @IsOptional()
  @IsEntityId()
  phaseId?: string;

  @IsOptional()
  @IsEntityId()
  parentId?: string;

  @IsOptional()
  @IsIn(UNIT_KINDS)
  kind?: UnitKind;

  @IsOptional()
  @IsIn(PROGRESS_SORTS)
  sort?: ProgressSort;
}

export class RankingsQueryDto extends ReadQueryDto {
  @IsOptional()
  @IsEntityId()
  phaseId?: string;

  @IsOptional()
  @IsEntityId()
  parentId?: string;

  @IsOptional()
  @IsIn(UNIT_KINDS)
  kind?: UnitKind;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_LIMIT)
  limit?: number;
}

export class FinishedEarlyQueryDto extends PagedQueryDto {
  @IsOptional()
  @IsEntityId()
  phaseId?: string;
}

export class UnitProgressQueryDto extends ReadQueryDto {
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
