import { ApiProperty } from '@nestjs/swagger';
import { ROLES } from '@app/domain';
import { INSTANT, POSITION } from '../../openapi/schema-types';

class RoleHeldDto {
  @ApiProperty({ enum: ROLES }) role!: string;
  @ApiProperty({ type: 'string', nullable: true, description: 'The root of the subtree; null: every unit' }) unitId!: string | null;
}

export class MeDto {
  @ApiProperty() subject!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ type: [RoleHeldDto], description: 'The roles in force now (revoked grants left out)' }) roles!: RoleHeldDto[];
}

export class CreatedApiKeyDto {
  @ApiProperty({ example: '0123456789abcdef' }) keyId!: string;
  @ApiProperty({ description: 'The bearer token `omi_<keyId>_<secret>`: shown here once, never again' }) token!: string;
  @ApiProperty() subject!: string;
  @ApiProperty({ ...INSTANT, nullable: true }) expiresAt!: string | null;
  @ApiProperty(POSITION) position!: string;
}

class RevocationDto {
  @ApiProperty() by!: string;
  @ApiProperty(INSTANT) at!: string;
}

class KeyRevocationDto extends RevocationDto {
  @ApiProperty({ type: 'string', nullable: true }) reason!: string | null;
}

class ApiKeyDto {
  @ApiProperty() keyId!: string;
  @ApiProperty() subject!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ ...INSTANT, nullable: true }) expiresAt!: string | null;
  @ApiProperty() createdBy!: string;
  @ApiProperty(INSTANT) createdAt!: string;
  @ApiProperty({ type: KeyRevocationDto, nullable: true }) revoked!: KeyRevocationDto | null;
}

export class ApiKeyListDto {
  @ApiProperty({ type: [ApiKeyDto] }) items!: ApiKeyDto[];
}

class GrantRevocationDto extends RevocationDto {
  @ApiProperty({ type: 'string', nullable: true }) documentRef!: string | null;
}

class GrantRecordDto extends RoleHeldDto {
  @ApiProperty() subject!: string;
  @ApiProperty({ type: 'string', nullable: true }) documentRef!: string | null;
  @ApiProperty() grantedBy!: string;
  @ApiProperty(INSTANT) grantedAt!: string;
  @ApiProperty({ type: GrantRevocationDto, nullable: true }) revoked!: GrantRevocationDto | null;
}

export class GrantListDto {
  @ApiProperty({ type: [GrantRecordDto] }) items!: GrantRecordDto[];
}

/** A grant's command answers its subject (any text an identity provider uses, not an entity id). */
export class GrantCommandResponseDto {
  @ApiProperty({ description: 'The subject granted or revoked' }) id!: string;
  @ApiProperty(POSITION) position!: string;
  @ApiProperty({ type: 'boolean', required: false }) replayed?: boolean;
}
