import { DomainEvent } from '../shared/decider';
import { DateRange, LocalDate } from '../shared/local-date';

export interface Phase {
  id: string;
  name: string;
  from: LocalDate;
  to: LocalDate;
  targetPercent: number;
}

/** Which initiatives count, and on which local date each counts. */
export interface CountingRule {
  basis: 'approved' | 'submitted';
  date: 'submittedAt' | 'approvedAt';
}

export const DEFAULT_COUNTING_RULE: CountingRule = { basis: 'approved', date: 'submittedAt' };

export type ProgramLaunched = DomainEvent<
  'ProgramLaunched',
  {
    programId: string;
    name: string;
    /** The programme's own dates when its plan states them; phases must lie inside. */
    period: DateRange | null;
    eligibility: DateRange;
    phases: Phase[];
    targetPercent: number;
    countingRule: CountingRule;
    documentRef: string | null;
  }
>;

export type PhaseAmended = DomainEvent<
  'PhaseAmended',
  { programId: string; phaseId: string; from: LocalDate; to: LocalDate; targetPercent: number; documentRef: string }
>;

export type CountingRuleChanged = DomainEvent<'CountingRuleChanged', { programId: string; documentRef: string } & CountingRule>;

export type EligibilityWindowChanged = DomainEvent<
  'EligibilityWindowChanged',
  { programId: string; from: LocalDate; to: LocalDate; documentRef: string }
>;

export type ProgramEvent = ProgramLaunched | PhaseAmended | CountingRuleChanged | EligibilityWindowChanged;
