import { ApiProperty } from '@nestjs/swagger';
import { COUNT, INSTANT, POSITION } from '../../openapi/schema-types';
import { VerificationResultDto } from '../../audit/dto/history.dto';

export class RebuildStatusDto {
  @ApiProperty({ type: 'integer' }) generation!: number;
  @ApiProperty({ type: 'integer' }) version!: number;
  @ApiProperty({ enum: ['requested', 'running', 'switching', 'done', 'failed'] }) state!: string;
  @ApiProperty(INSTANT) startedAt!: string;
  @ApiProperty({ ...INSTANT, nullable: true }) finishedAt!: string | null;
  @ApiProperty(COUNT) eventsDone!: number;
  @ApiProperty(COUNT) eventsTotal!: number;
  @ApiProperty(POSITION) positionDone!: string;
  @ApiProperty(POSITION) positionTotal!: string;
  @ApiProperty({ type: 'number', minimum: 0, description: 'Events per second' }) rate!: number;
  @ApiProperty({ type: 'number', nullable: true }) etaSeconds!: number | null;
  @ApiProperty({ type: 'string', nullable: true }) error!: string | null;
  @ApiProperty({ type: 'string', nullable: true, description: "A broken hash chain in the log the rebuild read (REBUILD_ON_BROKEN_CHAIN=refuse: the rebuild failed on it), null when every chain holds" })
  finding!: string | null;
}

export class ProjectionStatusDto {
  @ApiProperty({ example: 'progress' }) name!: string;
  @ApiProperty({ type: 'integer' }) version!: number;
  @ApiProperty({ type: 'integer' }) generation!: number;
  @ApiProperty({ enum: ['starting', 'live', 'rebuilding', 'failed'] }) state!: string;
  @ApiProperty(POSITION) position!: string;
  @ApiProperty(POSITION) head!: string;
  @ApiProperty({ ...POSITION, description: 'Positions behind the head of the log' }) lag!: string;
  @ApiProperty({ type: 'number', minimum: 0, description: 'Age of the last projected event while behind, 0 when caught up' }) lagSeconds!: number;
  @ApiProperty({ type: RebuildStatusDto, nullable: true }) rebuild!: RebuildStatusDto | null;
}

export class ProjectionListDto {
  @ApiProperty({ type: [ProjectionStatusDto] }) items!: ProjectionStatusDto[];
}

export class VerificationJobDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['running', 'done', 'failed'] }) state!: string;
  @ApiProperty(INSTANT) startedAt!: string;
  @ApiProperty({ ...INSTANT, nullable: true }) finishedAt!: string | null;
  @ApiProperty(COUNT) eventsRead!: number;
  @ApiProperty(COUNT) eventsTotal!: number;
  @ApiProperty({ type: VerificationResultDto, nullable: true }) result!: VerificationResultDto | null;
  @ApiProperty({ type: 'string', nullable: true }) error!: string | null;
  @ApiProperty({ type: 'string', nullable: true, description: 'A broken hash chain in the log the replay read, null when every chain holds' }) finding!: string | null;
}
