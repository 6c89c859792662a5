import { IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { IsLocalDateString, IsTargetPercent, MAX_TEXT } from '../../common/validators';

/** Rule changes are decisions: each names the document that made it. */
abstract class DecisionDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT)
  documentRef!: string;
}

export class AmendPhaseDto extends DecisionDto {
  @IsLocalDateString()
  from!: string;

  @IsLocalDateString()
  to!: string;

  @IsTargetPercent()
  targetPercent!: number;
}

export class ChangeCountingRuleDto extends DecisionDto {
  @IsIn(['approved', 'submitted'])
  basis!: 'approved' | 'submitted';

  @IsIn(['submittedAt', 'approvedAt'])
  date!: 'submittedAt' | 'approvedAt';
}

export class ChangeEligibilityDto extends DecisionDto {
  @IsLocalDateString()
  from!: string;

  @IsLocalDateString()
  to!: string;
}
