import { IsIn } from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';

export class CountingRuleDto {
  @ApiProperty({ enum: ['approved', 'submitted'] })
  @IsIn(['approved', 'submitted'])
  basis!: 'approved' | 'submitted';

  @ApiProperty({ enum: ['submittedAt', 'approvedAt'] })
  @IsIn(['submittedAt', 'approvedAt'])
  date!: 'submittedAt' | 'approvedAt';
}
