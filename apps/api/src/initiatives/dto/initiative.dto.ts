import { Type } from 'class-transformer';
import { IsIn, IsOptional, ValidateNested } from 'class-validator';
import { Author, INITIATIVE_CATEGORIES, InitiativeCategory } from '@app/domain';
import { IsAuthors, IsEntityId, IsInstant, IsLocalDateString, IsOptionalText, IsText, IsVnd, ToIsoInstant } from '../../common/validators';


export class SubmitInitiativeDto {
  /** Generated when absent (derived from the Idempotency-Key when there is one). */
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

  @IsIn(INITIATIVE_CATEGORIES)
  category!: InitiativeCategory;

  /** The date the initiative was put into application (local date). */
  @IsLocalDateString()
  appliedOn!: string;

  @IsOptional()
  @IsInstant()
  @ToIsoInstant()
  submittedAt?: string;

  /** Expected benefit, whole VND: integer or string of digits. */
  @IsVnd()
  benefitValue!: number | string;
}

export class ApproveInitiativeDto {
  @IsOptional()
  @IsInstant()
  @ToIsoInstant()
  approvedAt?: string;

  /** Recognised benefit, whole VND; defaults to the declared one. */
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

  @IsOptional()
  @IsAuthors()
  authors?: Author[];

  @IsOptional()
  @IsIn(INITIATIVE_CATEGORIES)
  category?: InitiativeCategory;

  @IsOptional()
  @IsLocalDateString()
  appliedOn?: string;

  @IsOptional()
  @IsVnd()
  benefitValue?: number | string;
}

export class CorrectInitiativeDto {
  @ValidateNested()
  @Type(() => InitiativeChangesDto)
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
