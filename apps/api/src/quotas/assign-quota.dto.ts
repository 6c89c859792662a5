import { IsInt, IsOptional, Max, Min, ValidateIf } from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEntityId, IsText } from '../common/validators';

export class AssignQuotaDto {
  @IsEntityId()
  unitId!: string;

  /** Absent or null: the unit's whole-programme quota. */
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsEntityId()
  @ApiPropertyOptional({ nullable: true })
  phaseId?: string | null;

  @ApiProperty({ type: 'integer', minimum: 0, maximum: 10_000_000 })
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  quota!: number;

  /** The letter that assigns it, e.g. "1144/LĐLĐ-CTCS". */
  @IsText()
  documentRef!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsEntityId()
  assignedByUnitId?: string;
}
