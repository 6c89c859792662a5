import { IsIn } from 'class-validator';

export class CountingRuleDto {
  @IsIn(['approved', 'submitted'])
  basis!: 'approved' | 'submitted';

  @IsIn(['submittedAt', 'approvedAt'])
  date!: 'submittedAt' | 'approvedAt';
}
