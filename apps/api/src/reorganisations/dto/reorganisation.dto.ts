import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsString, MaxLength, Min, ValidateNested } from 'class-validator';
import { PLAN_ACTIONS, PlanAction, UNIT_KINDS, UnitKind } from '@app/domain';
import { IsEntityId, IsLocalDateString, IsOptionalText, IsText } from '../../common/validators';
import { MAX_PLAN_BODY_BYTES } from '../../common/json-limits';

/** A JSON plan's steps each cost a few fields of the body's bound (MAX_JSON_MEMBERS); a larger plan comes as CSV. */
const MAX_JSON_STEPS = 300;

/** One step; which fields it needs depends on the action (see the README's plan format). */
export class PlanStepDto {
  @ApiProperty({ enum: PLAN_ACTIONS })
  @IsIn(PLAN_ACTIONS)
  action!: PlanAction;

  @IsEntityId()
  unitId!: string;

  /** register, move: the new parent (absent for a province); merge: the unit merged into. */
  @ApiPropertyOptional()
  @IsOptional()
  @IsEntityId()
  to?: string;

  /** register only. */
  @IsOptionalText()
  name?: string;

  /** register only. */
  @ApiPropertyOptional({ enum: UNIT_KINDS })
  @IsOptional()
  @IsIn(UNIT_KINDS)
  kind?: UnitKind;

  /** register only: the new unit's own members. */
  @ApiPropertyOptional({ type: 'integer', minimum: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  members?: number;
}

/** A reorganisation: one document, one effective date, and its plan as JSON steps or as the CSV a provincial office prepares. */
export class ReorganisationRequestDto {
  @IsText()
  documentRef!: string;

  @IsLocalDateString()
  effectiveOn!: string;

  @ApiPropertyOptional({ type: [PlanStepDto], maxItems: MAX_JSON_STEPS })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_JSON_STEPS)
  @ValidateNested({ each: true })
  @Type(() => PlanStepDto)
  steps?: PlanStepDto[];

  /** The plan as CSV, header `action,unit,to,name,kind,members`, one line per step. */
  @ApiPropertyOptional({ type: 'string', maxLength: MAX_PLAN_BODY_BYTES })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_PLAN_BODY_BYTES)
  csv?: string;
}

export class ReorganisationQueryDto {
  @ApiPropertyOptional({ enum: ['true', 'false'], default: 'false', description: 'Validate and preview what the plan would change, writing nothing' })
  @IsOptional()
  @IsIn(['true', 'false'])
  dryRun?: 'true' | 'false';
}
