import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { COUNT, CURSOR, DATE, ID, INSTANT, MONEY, POSITION, SIGNED_MONEY } from '../../openapi/schema-types';

export class QuotaChangeDto {
  @ApiProperty(COUNT) from!: number;
  @ApiProperty(COUNT) to!: number;
}

export class HistoryChangeDto {
  @ApiPropertyOptional({ type: 'integer' }) counted?: number;
  @ApiPropertyOptional({ type: QuotaChangeDto }) quota?: QuotaChangeDto;
  @ApiPropertyOptional(SIGNED_MONEY) benefitValue?: string;
}

export class HistoryTotalsDto {
  @ApiProperty(COUNT) counted!: number;
  @ApiProperty(COUNT) quota!: number;
  @ApiProperty(MONEY) benefitValue!: string;
}

export class HistoryEntryDto {
  @ApiProperty() eventId!: string;
  @ApiProperty() type!: string;
  @ApiProperty() stream!: string;
  @ApiProperty(POSITION) position!: string;
  @ApiProperty(INSTANT) recordedAt!: string;
  @ApiProperty(DATE) effectiveDate!: string;
  @ApiProperty() actor!: string;
  @ApiProperty({ type: 'string', nullable: true }) documentRef!: string | null;
  @ApiProperty({ type: HistoryChangeDto }) change!: HistoryChangeDto;
  @ApiProperty({ type: HistoryTotalsDto }) totals!: HistoryTotalsDto;
}

export class UnitHistoryPageDto {
  @ApiProperty(ID) programId!: string;
  @ApiProperty(ID) unitId!: string;
  @ApiProperty(ID) phaseId!: string;
  @ApiProperty() subtree!: boolean;
  @ApiProperty({ type: [HistoryEntryDto] }) items!: HistoryEntryDto[];
  @ApiProperty(CURSOR) nextCursor!: string | null;
  @ApiProperty(POSITION) position!: string;
  @ApiProperty({ type: 'integer' }) rulesVersion!: number;
  @ApiProperty() stale!: boolean;
}

export class DifferenceDto {
  @ApiProperty({ example: 'progress bk-2022/na-ri/p1' }) document!: string;
  @ApiProperty({ example: 'counted' }) field!: string;
  @ApiProperty({ description: 'Any JSON value' }) readModel!: unknown;
  @ApiProperty({ description: 'Any JSON value' }) replay!: unknown;
}

export class VerificationResultDto {
  @ApiProperty() consistent!: boolean;
  @ApiProperty(POSITION) position!: string;
  @ApiProperty(COUNT) checked!: number;
  @ApiProperty({ type: [DifferenceDto] }) differences!: DifferenceDto[];
}

export class UnitVerificationDto extends VerificationResultDto {
  @ApiProperty(ID) programId!: string;
  @ApiProperty(ID) unitId!: string;
}
