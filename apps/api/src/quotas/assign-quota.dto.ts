import { IsInt, IsOptional, Max, Min, ValidateIf } from 'class-validator';
import { IsEntityId, IsText } from '../common/validators';

export class AssignQuotaDto {
  @IsEntityId()
  unitId!: string;

  /** Absent or null: the unit's whole-programme quota. */
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsEntityId()
  phaseId?: string | null;

  @IsInt()
  @Min(0)
  @Max(10_000_000)
  quota!: number;

  /** The letter that assigns it, e.g. "1144/LĐLĐ-CTCS". */
  @IsText()
  documentRef!: string;

  @IsOptional()
  @IsEntityId()
  assignedByUnitId?: string;
}
