import { IsText } from '../../common/validators';
import { CountingRuleDto } from './counting-rule.dto';
import { DateRangeDto } from './date-range.dto';
import { PhaseTermsDto } from './phase-terms.dto';

/** Rule changes are decisions: each names the document that made it. */
export class AmendPhaseDto extends PhaseTermsDto {
  @IsText()
  documentRef!: string;
}

export class ChangeCountingRuleDto extends CountingRuleDto {
  @IsText()
  documentRef!: string;
}

export class ChangeEligibilityDto extends DateRangeDto {
  @IsText()
  documentRef!: string;
}
