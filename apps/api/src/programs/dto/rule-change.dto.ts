import { IsIn } from 'class-validator';
import { IsLocalDateString, IsTargetPercent, IsText } from '../../common/validators';

/** Rule changes are decisions: each names the document that made it. */
abstract class DecisionDto {
  @IsText()
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
