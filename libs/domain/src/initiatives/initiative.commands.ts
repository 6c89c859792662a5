import { ProgramState } from '../programs/program.state';
import { Author } from '../personal-data/author';
import { LocalDate } from '../shared/local-date';
import { UnitState } from '../units/unit.state';
import { InitiativeCategory, InitiativeCorrections } from './initiative.events';

/** Commands carry `now` (the service clock) so that deciding stays a pure function. */
interface Timed {
  now: string;
}

export interface SubmitInitiative extends Timed {
  type: 'SubmitInitiative';
  initiativeId: string;
  programId: string;
  unitId: string;
  title: string;
  authors: Author[];
  category: InitiativeCategory;
  appliedOn: LocalDate;
  submittedAt: string;
  benefitValue: bigint;
  program: ProgramState;
  unit: UnitState;
}

export interface ApproveInitiative extends Timed {
  type: 'ApproveInitiative';
  approvedAt: string;
  benefitValue: bigint | null;
  decisionRef: string;
}

export interface RejectInitiative extends Timed {
  type: 'RejectInitiative';
  rejectedAt: string;
  reason: string;
}

export interface WithdrawInitiative extends Timed {
  type: 'WithdrawInitiative';
  reason: string | null;
}

export interface RevokeApproval extends Timed {
  type: 'RevokeApproval';
  reason: string;
  documentRef: string | null;
}

export interface CorrectInitiative extends Timed {
  type: 'CorrectInitiative';
  changes: Omit<InitiativeCorrections, 'benefitValue'> & { benefitValue?: bigint };
  reason: string | null;
  program: ProgramState;
}

export interface MoveInitiative extends Timed {
  type: 'MoveInitiative';
  toUnitId: string;
  reason: string | null;
  toUnit: UnitState;
}

export type InitiativeCommand =
  | SubmitInitiative
  | ApproveInitiative
  | RejectInitiative
  | WithdrawInitiative
  | RevokeApproval
  | CorrectInitiative
  | MoveInitiative;

/** An initiative command as asked: before the handler adds the clock and what it looks up about the programme and units. */
export type InitiativeRequest =
  | Omit<SubmitInitiative, 'program' | 'unit' | 'now'>
  | Omit<ApproveInitiative, 'now'>
  | Omit<RejectInitiative, 'now'>
  | Omit<WithdrawInitiative, 'now'>
  | Omit<RevokeApproval, 'now'>
  | Omit<CorrectInitiative, 'program' | 'now'>
  | Omit<MoveInitiative, 'toUnit' | 'now'>;
