import { DateRange } from '../shared/local-date';
import { CountingRule, Phase, ProgramLaunched } from './program.events';

/** Launching records the plan as given: the command carries exactly what the event will. */
export interface LaunchProgram extends Omit<ProgramLaunched['data'], never> {
  type: 'LaunchProgram';
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
