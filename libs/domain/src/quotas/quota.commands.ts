import { ProgramState } from '../programs/program.state';
import { UnitState } from '../units/unit.state';

export interface AssignQuota {
  type: 'AssignQuota';
  programId: string;
  unitId: string;
  phaseId: string | null;
  quota: number;
  documentRef: string;
  assignedByUnitId: string | null;
  program: ProgramState;
  unit: UnitState;
  assignedBy: UnitState | null;
}

export type QuotaCommand = AssignQuota;

/** A quota assignment as asked, before the handler looks up the programme and the units. */
export type AssignQuotaRequest = Omit<AssignQuota, 'program' | 'unit' | 'assignedBy'>;
