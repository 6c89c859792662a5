import { ApiProperty } from '@nestjs/swagger';
import { INITIATIVE_CATEGORIES } from '@app/domain';
import { CURSOR, DATE, ID, INSTANT, MONEY, POSITION } from '../../openapi/schema-types';
import { INITIATIVE_STATUSES } from '../initiative-status';

export class InitiativeDocDto {
  @ApiProperty(ID) initiativeId!: string;
  @ApiProperty(ID) programId!: string;
  @ApiProperty(ID) unitId!: string;
  @ApiProperty({ type: [String] }) unitPath!: string[];
  @ApiProperty({ type: [String] }) everUnitPath!: string[];
  @ApiProperty({ enum: INITIATIVE_STATUSES, description: '`pending` until a council decides' }) status!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ description: 'Title and authors without diacritics, lower case' }) searchText!: string;
  @ApiProperty({ type: [String] }) authors!: string[];
  @ApiProperty({ enum: INITIATIVE_CATEGORIES }) category!: string;
  @ApiProperty(DATE) appliedOn!: string;
  @ApiProperty(INSTANT) submittedAt!: string;
  @ApiProperty(DATE) submittedOn!: string;
  @ApiProperty({ ...INSTANT, nullable: true }) approvedAt!: string | null;
  @ApiProperty({ ...DATE, nullable: true }) approvedOn!: string | null;
  @ApiProperty(MONEY) benefitValue!: string;
  @ApiProperty({ ...MONEY, nullable: true }) recognisedValue!: string | null;
  @ApiProperty({ type: 'string', nullable: true }) decisionRef!: string | null;
  @ApiProperty({ type: 'string', nullable: true }) reason!: string | null;
  @ApiProperty({ ...ID, nullable: true, description: 'The phase it counts in; null when outside every phase' }) phaseId!: string | null;
  @ApiProperty() counted!: boolean;
  @ApiProperty() eligible!: boolean;
  @ApiProperty(POSITION) position!: string;
}

export class InitiativeListDto {
  @ApiProperty({ type: [InitiativeDocDto] }) items!: InitiativeDocDto[];
  @ApiProperty(CURSOR) nextCursor!: string | null;
  @ApiProperty(POSITION) position!: string;
}
