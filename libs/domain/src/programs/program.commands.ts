import { DateRange } from '../shared/local-date';
import { CountingRule, Phase } from './program.events';

export interface LaunchProgram {
  type: 'LaunchProgram';
  programId: string;
  name: string;
  period: DateRange | null;
  eligibility: DateRange;
  phases: Phase[];
  targetPercent: number;
  countingRule: CountingRule;
  documentRef: string | null;
}

export interface AmendPhase {
  type: 'AmendPhase';
  phaseId: string;
  from: Phase['from'];
  to: Phase['to'];
  targetPercent: number;
  documentRef: string;
}

export interface ChangeCountingRule extends CountingRule {
  type: 'ChangeCountingRule';
  documentRef: string;
}

export interface ChangeEligibilityWindow extends DateRange {
  type: 'ChangeEligibilityWindow';
  documentRef: string;
}

export type ProgramCommand = LaunchProgram | AmendPhase | ChangeCountingRule | ChangeEligibilityWindow;
