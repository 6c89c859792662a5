import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsNotEmpty, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { INITIATIVE_CATEGORIES, InitiativeCategory } from '@app/domain';
import { IsEntityId, IsInstant, IsLocalDateString, IsVnd, MAX_TEXT, ToIsoInstant } from '../../common/validators';

const MAX_AUTHORS = 50;

export class SubmitInitiativeDto {
  /** Generated when absent (derived from the Idempotency-Key when there is one). */
  @IsOptional()
  @IsEntityId()
  id?: string;

  @IsEntityId()
  programId!: string;

  @IsEntityId()
  unitId!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT)
  title!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_AUTHORS)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(200, { each: true })
  authors!: string[];

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
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT)
  decisionRef!: string;
}

export class RejectInitiativeDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT)
  reason!: string;

  @IsOptional()
  @IsInstant()
  @ToIsoInstant()
  rejectedAt?: string;
}

export class WithdrawInitiativeDto {
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT)
  reason?: string;
}

export class RevokeApprovalDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT)
  reason!: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT)
  documentRef?: string;
}

export class InitiativeChangesDto {
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT)
  title?: string;

  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_AUTHORS)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(200, { each: true })
  authors?: string[];

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

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT)
  reason?: string;
}

export class MoveInitiativeDto {
  @IsEntityId()
  unitId!: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT)
  reason?: string;
}
