import { IsTargetPercent } from '../../common/validators';
import { DateRangeDto } from './date-range.dto';

/** What a phase's plan fixes, at launch or when amended: its dates and its target. */
export class PhaseTermsDto extends DateRangeDto {
  @IsTargetPercent()
  targetPercent!: number;
}
