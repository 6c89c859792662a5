import { CountingRule, Phase } from '@app/domain';

/** The rules a programme's read models were computed under, and the rules now in force. */
export interface ProgramDoc {
  programId: string;
  name: string;
  phases: Phase[];
  eligibility: { from: string; to: string };
  targetPercent: number;
  countingRule: CountingRule;
  /** The rules version the figures were computed under. */
  rulesVersion: number;
  /** The latest rules version recorded; above rulesVersion means the figures are stale until rebuilt. */
  latestRulesVersion: number;
}
