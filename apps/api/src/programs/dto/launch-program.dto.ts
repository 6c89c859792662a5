import { Type } from 'class-transformer';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, ValidateNested } from 'class-validator';
import { IsEntityId, IsLocalDateString, IsNestedObject, IsOptionalNestedObject, IsOptionalText, IsTargetPercent, IsText } from '../../common/validators';
import { CountingRuleDto } from './counting-rule.dto';
import { DateRangeDto } from './date-range.dto';
import { PhaseTermsDto } from './phase-terms.dto';

export class PhaseDto extends PhaseTermsDto {
  @IsEntityId()
  id!: string;

  @IsText()
  name!: string;
}

export class LaunchProgramDto {
  @IsEntityId()
  id!: string;

  @IsText()
  name!: string;

  /** The programme's own dates, when its plan states them. */
  @ApiPropertyOptional()
  @IsOptional()
  @IsLocalDateString()
  from?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsLocalDateString()
  to?: string;

  @ApiProperty({ type: DateRangeDto })
  @IsNestedObject(() => DateRangeDto)
  eligibility!: DateRangeDto;

  @ApiProperty({ type: [PhaseDto], minItems: 1, maxItems: 50 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => PhaseDto)
  phases!: PhaseDto[];

  @IsTargetPercent()
  targetPercent!: number;

  @ApiPropertyOptional({ type: CountingRuleDto })
  @IsOptionalNestedObject(() => CountingRuleDto)
  countingRule?: CountingRuleDto;

  @IsOptionalText()
  documentRef?: string;
}
