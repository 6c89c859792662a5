import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Min, ValidateNested } from 'class-validator';
import { IsInstant } from '../common/validators';

/** A seal as exported (GET /audit/seals): every field is checked against the log and the signature. */
export class SealDto {
  @Matches(/^\d{1,20}$/)
  upToPosition!: string;

  @IsInt()
  @Min(0)
  streams!: number;

  @Matches(/^[0-9a-f]{64}$/)
  root!: string;

  @IsInstant()
  sealedAt!: string;

  @IsString()
  @Matches(/^[A-Za-z0-9+/]{1,200}={0,2}$/)
  signature!: string;

  @Matches(/^[0-9a-f]{64}$/)
  keyId!: string;
}

export class IntegrityCheckDto {
  /** A seal kept outside the service: the check then also proves the log was not cut or rewritten since. */
  @IsOptional()
  @ValidateNested()
  @Type(() => SealDto)
  seal?: SealDto;
}
