import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Max, Min, ValidateIf } from 'class-validator';
import { UNIT_KINDS, UnitKind } from '@app/domain';
import { IsEntityId, IsLocalDateString, IsOptionalText, IsText } from '../../common/validators';

/** Vietnam has about ten million union members; no single unit can have more. */
const MAX_MEMBERS = 20_000_000;

export class RegisterUnitDto {
  @IsEntityId()
  id!: string;

  @IsText()
  name!: string;

  @ApiProperty({ enum: UNIT_KINDS })
  @IsIn(UNIT_KINDS)
  kind!: UnitKind;

  /** null or absent for a root (a provincial federation). */
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsEntityId()
  @ApiPropertyOptional({ nullable: true })
  parentId?: string | null;

  @ApiProperty({ type: 'integer', minimum: 0, maximum: MAX_MEMBERS })
  @IsInt()
  @Min(0)
  @Max(MAX_MEMBERS)
  memberCount!: number;

  /** The date the member count is in force from; defaults to today (Vietnam). */
  @ApiPropertyOptional()
  @IsOptional()
  @IsLocalDateString()
  effectiveOn?: string;
}

export class RecordMembersDto {
  @ApiProperty({ type: 'integer', minimum: 0, maximum: MAX_MEMBERS })
  @IsInt()
  @Min(0)
  @Max(MAX_MEMBERS)
  memberCount!: number;

  @IsLocalDateString()
  effectiveOn!: string;
}

class StructureChangeDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsLocalDateString()
  effectiveOn?: string;

  @IsOptionalText()
  documentRef?: string;
}

export class MoveUnitDto extends StructureChangeDto {
  @IsEntityId()
  parentId!: string;
}

export class MergeUnitDto extends StructureChangeDto {
  @IsEntityId()
  intoUnitId!: string;
}

export class CloseUnitDto extends StructureChangeDto {
  @IsOptionalText()
  reason?: string;
}
