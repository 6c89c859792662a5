import { ApiProperty } from '@nestjs/swagger';
import { DATE, ID, POSITION } from '../../openapi/schema-types';

class PhaseViewDto {
  @ApiProperty(ID) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty(DATE) from!: string;
  @ApiProperty(DATE) to!: string;
  @ApiProperty({ type: 'number' }) targetPercent!: number;
}

class EligibilityDto {
  @ApiProperty(DATE) from!: string;
  @ApiProperty(DATE) to!: string;
}

class CountingRuleViewDto {
  @ApiProperty({ enum: ['approved', 'submitted'] }) basis!: string;
  @ApiProperty({ enum: ['submittedAt', 'approvedAt'] }) date!: string;
}

export class ProgramViewDto {
  @ApiProperty(ID) programId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: [PhaseViewDto] }) phases!: PhaseViewDto[];
  @ApiProperty({ type: EligibilityDto }) eligibility!: EligibilityDto;
  @ApiProperty({ type: 'number' }) targetPercent!: number;
  @ApiProperty({ type: CountingRuleViewDto }) countingRule!: CountingRuleViewDto;
  @ApiProperty({ type: 'integer', description: 'The rules version the figures were computed under' }) rulesVersion!: number;
  @ApiProperty({ type: 'integer' }) latestRulesVersion!: number;
  @ApiProperty({ description: 'Rules changed since: the figures await a rebuild' }) stale!: boolean;
  @ApiProperty(POSITION) position!: string;
}

export class ProgramListDto {
  @ApiProperty({ type: [ProgramViewDto] }) items!: ProgramViewDto[];
  @ApiProperty(POSITION) position!: string;
}
