import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { UNIT_KINDS } from '@app/domain';
import { COUNT, CURSOR, DATE, ID, MONEY, POSITION } from '../../openapi/schema-types';

export class OwnFiguresDto {
  @ApiProperty(COUNT) submitted!: number;
  @ApiProperty(COUNT) approved!: number;
  @ApiProperty(COUNT) counted!: number;
  @ApiProperty(MONEY) benefitValue!: string;
}

/** A progress row; top-level figures are the unit's whole subtree, `own` the unit alone. */
export class ProgressRowDto {
  @ApiProperty(ID) programId!: string;
  @ApiProperty(ID) unitId!: string;
  @ApiProperty({ ...ID, description: 'A phase id, or `all` for the whole programme' }) phaseId!: string;
  @ApiProperty(COUNT) quota!: number;
  @ApiProperty({ enum: ['assigned', 'default'] }) quotaSource!: string;
  @ApiProperty({ ...COUNT, description: 'Every recorded initiative: approved + pending + rejected + withdrawn' }) submitted!: number;
  @ApiProperty(COUNT) approved!: number;
  @ApiProperty({ ...COUNT, description: 'Submitted, not yet decided (the status `pending`)' }) pending!: number;
  @ApiProperty(COUNT) rejected!: number;
  @ApiProperty(COUNT) withdrawn!: number;
  @ApiProperty(COUNT) counted!: number;
  @ApiProperty({ type: 'number', nullable: true, description: 'counted / quota × 100; null without a quota' }) attainmentPercent!: number | null;
  @ApiProperty(COUNT) excess!: number;
  @ApiProperty(MONEY) benefitValue!: string;
  @ApiProperty({ ...DATE, nullable: true }) reachedQuotaOn!: string | null;
  @ApiProperty() finishedEarly!: boolean;
  @ApiProperty({ type: OwnFiguresDto }) own!: OwnFiguresDto;
  @ApiProperty() unitName!: string;
  @ApiProperty({ enum: UNIT_KINDS }) kind!: string;
  @ApiProperty({ ...ID, nullable: true }) parentId!: string | null;
  @ApiProperty({ type: [String] }) path!: string[];
  @ApiProperty({ type: 'integer' }) rulesVersion!: number;
}

export class RankedProgressRowDto extends ProgressRowDto {
  @ApiProperty({ type: 'integer', minimum: 1 }) rank!: number;
}

/** Paged progress rows, stamped with the rules they were computed under. */
export class ProgressListDto {
  @ApiProperty({ type: [ProgressRowDto] }) items!: ProgressRowDto[];
  @ApiProperty(CURSOR) nextCursor!: string | null;
  @ApiProperty(POSITION) position!: string;
  @ApiProperty({ type: 'integer' }) rulesVersion!: number;
  @ApiProperty({ description: 'Rules changed since: the figures await a rebuild' }) stale!: boolean;
}

export class RankingsDto {
  @ApiProperty(ID) phaseId!: string;
  @ApiProperty({ type: [RankedProgressRowDto] }) items!: RankedProgressRowDto[];
  @ApiProperty(CURSOR) nextCursor!: null;
  @ApiProperty(POSITION) position!: string;
  @ApiProperty({ type: 'integer' }) rulesVersion!: number;
  @ApiProperty() stale!: boolean;
}

export class ThenDto {
  @ApiPropertyOptional({ type: 'string' }) asOf?: string;
  @ApiPropertyOptional(DATE) on?: string;
  @ApiProperty({ enum: ['then', 'current'] }) rules!: string;
}

export class UnitProgressDto {
  @ApiProperty(ID) programId!: string;
  @ApiProperty(ID) unitId!: string;
  @ApiProperty({ type: [ProgressRowDto], description: 'One row per phase in programme order, then `all`' }) items!: ProgressRowDto[];
  @ApiProperty(CURSOR) nextCursor!: null;
  @ApiProperty(POSITION) position!: string;
  @ApiProperty({ type: 'integer' }) rulesVersion!: number;
  @ApiProperty() stale!: boolean;
  @ApiPropertyOptional({ type: ThenDto, description: 'Present when replayed for another moment than now (asOf, on)' }) then?: ThenDto;
}
