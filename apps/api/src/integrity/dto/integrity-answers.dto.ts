import { ApiProperty } from '@nestjs/swagger';
import { COUNT, INSTANT, POSITION } from '../../openapi/schema-types';

export class PublicKeyDto {
  @ApiProperty() keyId!: string;
  @ApiProperty({ enum: ['Ed25519'] }) algorithm!: 'Ed25519';
  @ApiProperty({ description: 'SPKI PEM' }) publicKey!: string;
}

/** A seal: the Merkle root over every stream head up to a position, signed (see the README's tamper evidence). */
export class SealDto {
  @ApiProperty({ ...POSITION, description: 'The seal commits to every stream head up to this global position' }) upToPosition!: string;
  @ApiProperty(COUNT) streams!: number;
  @ApiProperty({ description: 'Merkle root (SHA-256, hex) over (stream, revision, hash) of every stream head' }) root!: string;
  @ApiProperty(INSTANT) sealedAt!: string;
  @ApiProperty({ description: 'Ed25519 signature over the canonical encoding of the seal' }) signature!: string;
}

export class SealListDto {
  @ApiProperty({ type: [SealDto] }) items!: SealDto[];
}

export class SealedDto {
  @ApiProperty(POSITION) position!: string;
  @ApiProperty({ type: SealDto }) seal!: SealDto;
}

/** What an integrity check found: intact, or the first broken link (stream, revision, position, what differs) and the last seal that holds. */
export class IntegrityReportDto {}

export class IntegrityJobDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['consistency', 'integrity'] }) kind!: string;
  @ApiProperty({ enum: ['running', 'done', 'failed'] }) state!: string;
  @ApiProperty(INSTANT) startedAt!: string;
  @ApiProperty({ ...INSTANT, nullable: true }) finishedAt!: string | null;
  @ApiProperty(COUNT) eventsRead!: number;
  @ApiProperty(COUNT) eventsTotal!: number;
  @ApiProperty({ type: IntegrityReportDto, nullable: true }) result!: IntegrityReportDto | null;
  @ApiProperty({ type: 'string', nullable: true }) error!: string | null;
  @ApiProperty({ type: 'string', nullable: true, description: 'Always null here: the report says what broke' }) finding!: string | null;
}

export class ErasureAnswerDto {
  @ApiProperty() id!: string;
  @ApiProperty(POSITION) position!: string;
  @ApiProperty({ type: [String], description: 'The initiatives whose authors were erased' }) initiatives!: string[];
}

/** Every initiative where the member appears, and what is held about them. */
export class AccessListingDto {}
