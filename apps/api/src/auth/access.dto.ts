import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, ValidateIf, ValidateNested } from 'class-validator';
import { Role, ROLES } from '@app/domain';
import { IsEntityId, IsInstant, IsOptionalText, ToIsoInstant, IsText } from '../common/validators';

const MAX_SUBJECT = 200;

export class RoleScopeDto {
  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;

  /** The root of the subtree the role is held over; null or absent: every unit. */
  @ApiPropertyOptional({ nullable: true, description: 'The root of the subtree the role is held over; null or absent: every unit' })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsEntityId()
  unitId?: string | null;
}

export class GrantDto extends RoleScopeDto {
  /** The OIDC token's `sub`, or an API key's subject. */
  @IsText(MAX_SUBJECT)
  subject!: string;

  /** The decision or letter behind the grant. */
  @IsOptionalText()
  documentRef?: string;
}

export class CreateApiKeyDto {
  @IsText(MAX_SUBJECT)
  subject!: string;

  @IsOptionalText(MAX_SUBJECT)
  displayName?: string;

  /** Granted to the subject with the key (those it does not hold yet). */
  @ApiProperty({ type: [RoleScopeDto], maxItems: 50 })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => RoleScopeDto)
  roles!: RoleScopeDto[];

  /** An instant with an offset; absent: the key does not expire. */
  @ApiPropertyOptional()
  @IsOptional()
  @IsInstant()
  @ToIsoInstant()
  expiresAt?: string;

  @IsOptionalText()
  documentRef?: string;
}

export class RevokeApiKeyDto {
  @IsOptionalText()
  reason?: string;
}
