import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { Author, INITIATIVE_CATEGORIES, InitiativeCategory } from '@app/domain';
import { IsAuthors, IsEntityId, IsInstant, IsLocalDateString, IsNestedObject, IsOptionalText, IsText, IsVnd, ToIsoInstant } from '../../common/validators';

export class SubmitInitiativeDto {
  /** Generated when absent (derived from the Idempotency-Key when there is one). */
  @ApiPropertyOptional()
  @IsOptional()
  @IsEntityId()
  id?: string;

  @IsEntityId()
  programId!: string;

  @IsEntityId()
  unitId!: string;

  @IsText()
  title!: string;

  @IsAuthors()
  authors!: Author[];

  @ApiProperty({ enum: INITIATIVE_CATEGORIES })
  @IsIn(INITIATIVE_CATEGORIES)
  category!: InitiativeCategory;

  /** The date the initiative was put into application (local date). */
  @IsLocalDateString()
  appliedOn!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInstant()
  @ToIsoInstant()
  submittedAt?: string;

  /** Expected benefit, whole VND: integer or string of digits. */
  @IsVnd()
  benefitValue!: number | string;
}

export class ApproveInitiativeDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsInstant()
  @ToIsoInstant()
  approvedAt?: string;

  /** Recognised benefit, whole VND; defaults to the declared one. */
  @ApiPropertyOptional()
  @IsOptional()
  @IsVnd()
  benefitValue?: number | string;

  /** The initiative council's decision. */
  @IsText()
  decisionRef!: string;
}

export class RejectInitiativeDto {
  @IsText()
  reason!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsInstant()
  @ToIsoInstant()
  rejectedAt?: string;
}

export class WithdrawInitiativeDto {
  @IsOptionalText()
  reason?: string;
}

export class RevokeApprovalDto {
  @IsText()
  reason!: string;

  @IsOptionalText()
  documentRef?: string;
}

export class InitiativeChangesDto {
  @IsOptionalText()
  title?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsAuthors()
  authors?: Author[];

  @ApiPropertyOptional({ enum: INITIATIVE_CATEGORIES })
  @IsOptional()
  @IsIn(INITIATIVE_CATEGORIES)
  category?: InitiativeCategory;

  @ApiPropertyOptional()
  @IsOptional()
  @IsLocalDateString()
  appliedOn?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsVnd()
  benefitValue?: number | string;
}

export class CorrectInitiativeDto {
  @ApiProperty({ type: InitiativeChangesDto, description: 'Only the fields to correct' })
  @IsNestedObject(() => InitiativeChangesDto)
  changes!: InitiativeChangesDto;

  @IsOptionalText()
  reason?: string;
}

export class MoveInitiativeDto {
  @IsEntityId()
  unitId!: string;

  @IsOptionalText()
  reason?: string;
}
