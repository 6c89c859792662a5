import { DateRange } from '../shared/local-date';
import { CountingRule, Phase } from './program.events';

/** The rules a projection counts a programme's initiatives under. */
export interface ProgramRules {
  programId: string;
  name: string;
  phases: Phase[];
  eligibility: DateRange;
  targetPercent: number;
  countingRule: CountingRule;
  rulesVersion: number;
}

/** The whole programme starts with its first phase and ends with its last. */
export function programSpan(rules: ProgramRules): DateRange {
  const froms = rules.phases.map((p) => p.from).sort();
  const tos = rules.phases.map((p) => p.to).sort();
  return { from: froms[0], to: tos[tos.length - 1] };
}
