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

/**
 * The phase key of a programme's whole-programme figures (quotas, progress rows, histories). It is
 * reserved: a phase named so would merge its figures with the whole programme's.
 */
export const WHOLE_PROGRAM_KEY = 'all';

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
export const PROGRAM_EVENT_TYPES: readonly ProgramEvent['type'][] = ['ProgramLaunched', 'PhaseAmended', 'CountingRuleChanged', 'EligibilityWindowChanged'];
