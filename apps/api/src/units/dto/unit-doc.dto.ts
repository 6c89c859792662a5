import { ApiProperty } from '@nestjs/swagger';
import { UNIT_KINDS } from '@app/domain';
import { COUNT, CURSOR, DATE, ID, POSITION } from '../../openapi/schema-types';

export class MemberCountDto {
  @ApiProperty(DATE) effectiveOn!: string;
  @ApiProperty(COUNT) count!: number;
}

export class UnitDocDto {
  @ApiProperty(ID) unitId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: UNIT_KINDS }) kind!: string;
  @ApiProperty({ ...ID, nullable: true }) parentId!: string | null;
  @ApiProperty({ type: [String], description: 'Ancestors from the root down to the unit itself' }) path!: string[];
  @ApiProperty({ type: [String], description: 'Every unit this one has ever been under, and itself' }) everPath!: string[];
  @ApiProperty({ enum: ['active', 'merged', 'closed'] }) status!: string;
  @ApiProperty({ ...ID, nullable: true }) mergedInto!: string | null;
  @ApiProperty(COUNT) memberCount!: number;
  @ApiProperty({ type: [MemberCountDto] }) memberCounts!: MemberCountDto[];
  @ApiProperty({
    type: 'object',
    description: 'Explicit assignments in force, by programme then phase (`all`: the whole programme)',
    additionalProperties: { type: 'object', additionalProperties: { type: 'integer', minimum: 0 } },
  })
  quotas!: Record<string, Record<string, number>>;
}

export class UnitAnswerDto extends UnitDocDto {
  @ApiProperty(POSITION) position!: string;
}

export class UnitListDto {
  @ApiProperty({ type: [UnitDocDto] }) items!: UnitDocDto[];
  @ApiProperty(CURSOR) nextCursor!: string | null;
  @ApiProperty(POSITION) position!: string;
}
