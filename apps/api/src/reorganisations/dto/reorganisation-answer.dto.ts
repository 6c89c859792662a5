import { ApiProperty } from '@nestjs/swagger';
import { UNIT_KINDS } from '@app/domain';
import { COUNT, DATE, ID, INSTANT, MONEY, POSITION } from '../../openapi/schema-types';

const STATUSES = ['active', 'merged', 'closed'];

export class PreviewFiguresDto {
  @ApiProperty(ID) programId!: string;
  @ApiProperty({ type: 'string', description: "A phase id, or 'all' for the whole programme" }) phaseId!: string;
  @ApiProperty(COUNT) quota!: number;
  @ApiProperty({ enum: ['assigned', 'default'] }) quotaSource!: string;
  @ApiProperty(COUNT) counted!: number;
  @ApiProperty(MONEY) benefitValue!: string;
}

export class PreviewSideDto {
  @ApiProperty({ ...ID, nullable: true }) parentId!: string | null;
  @ApiProperty({ enum: STATUSES }) status!: string;
  @ApiProperty({ ...COUNT, description: 'Members in force on the effective date over the subtree (active units only)' }) members!: number;
  @ApiProperty({ type: [PreviewFiguresDto] }) figures!: PreviewFiguresDto[];
}

export class PreviewUnitDto {
  @ApiProperty(ID) unitId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: UNIT_KINDS }) kind!: string;
  @ApiProperty({ type: PreviewSideDto, nullable: true, description: 'null: the plan registers it' }) before!: PreviewSideDto | null;
  @ApiProperty({ type: PreviewSideDto }) after!: PreviewSideDto;
}

export class PlaceChangeDto {
  @ApiProperty(ID) unitId!: string;
  @ApiProperty({ ...ID, nullable: true }) fromParentId!: string | null;
  @ApiProperty({ ...ID, nullable: true }) toParentId!: string | null;
  @ApiProperty({ enum: ['none', ...STATUSES] }) statusBefore!: string;
  @ApiProperty({ enum: STATUSES }) statusAfter!: string;
}

export class PlanPreviewDto {
  @ApiProperty({ ...POSITION, description: 'The log position the preview was computed at' }) position!: string;
  @ApiProperty({ type: [PlaceChangeDto] }) changes!: PlaceChangeDto[];
  @ApiProperty({ type: [PreviewUnitDto], description: 'Every province and sector union, before and after' }) units!: PreviewUnitDto[];
}

export class ReorganisationDto {
  @ApiProperty({ format: 'uuid', description: 'Derived from the document reference: the same decision always has the same id' }) id!: string;
  @ApiProperty() documentRef!: string;
  @ApiProperty(DATE) effectiveOn!: string;
  @ApiProperty({ enum: ['preview', 'running', 'done', 'interrupted'] }) state!: string;
  @ApiProperty(COUNT) stepsTotal!: number;
  @ApiProperty(COUNT) stepsDone!: number;
  @ApiProperty({ type: 'string', nullable: true }) decidedBy!: string | null;
  @ApiProperty({ ...INSTANT, nullable: true }) decidedAt!: string | null;
  @ApiProperty({ ...INSTANT, nullable: true }) finishedAt!: string | null;
  @ApiProperty({ type: 'number', minimum: 0, description: 'Steps per second' }) rate!: number;
  @ApiProperty({ type: 'number', nullable: true }) etaSeconds!: number | null;
  @ApiProperty({ type: 'string', nullable: true }) error!: string | null;
  @ApiProperty({ description: 'The same decision had been submitted before: nothing was written' }) alreadyDecided!: boolean;
  @ApiProperty({ type: PlanPreviewDto, nullable: true, description: 'Only for ?dryRun=true' }) preview!: PlanPreviewDto | null;
}
