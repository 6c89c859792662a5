import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, ValidateNested } from 'class-validator';
import { IsEntityId, IsLocalDateString, IsOptionalText, IsTargetPercent, IsText } from '../../common/validators';
import { DateRangeDto } from './date-range.dto';

export class PhaseDto {
  @IsEntityId()
  id!: string;

  @IsText()
  name!: string;

  @IsLocalDateString()
  from!: string;

  @IsLocalDateString()
  to!: string;

  @IsTargetPercent()
  targetPercent!: number;
}

export class CountingRuleDto {
  @IsIn(['approved', 'submitted'])
  basis!: 'approved' | 'submitted';

  @IsIn(['submittedAt', 'approvedAt'])
  date!: 'submittedAt' | 'approvedAt';
}

export class LaunchProgramDto {
  @IsEntityId()
  id!: string;

  @IsText()
  name!: string;

  /** The programme's own dates, when its plan states them. */
  @IsOptional()
  @IsLocalDateString()
  from?: string;

  @IsOptional()
  @IsLocalDateString()
  to?: string;

  @ValidateNested()
  @Type(() => DateRangeDto)
  eligibility!: DateRangeDto;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => PhaseDto)
  phases!: PhaseDto[];

  @IsTargetPercent()
  targetPercent!: number;

  @IsOptional()
  @ValidateNested()
  @Type(() => CountingRuleDto)
  countingRule?: CountingRuleDto;

  @IsOptionalText()
  documentRef?: string;
}
