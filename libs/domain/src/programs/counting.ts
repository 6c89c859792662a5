import { InitiativeStatus } from '../initiatives/initiative.events';
import { isWithin, LocalDate } from '../shared/local-date';
import { ProgramRules } from './program-rules';
import { WHOLE_PROGRAM_KEY } from './program.events';
import { phaseOn } from './program.state';

/** What the counting rules look at of an initiative. */
export interface CountedInitiative {
  status: InitiativeStatus;
  appliedOn: LocalDate;
  submittedOn: LocalDate;
  approvedOn: LocalDate | null;
  recognisedValue: bigint | null;
}

/** Where an initiative counts under a programme's rules; null when the rules exclude it altogether. */
export interface Contribution {
  keys: string[];
  status: InitiativeStatus;
  counted: boolean;
  countedOn: LocalDate;
  benefit: bigint;
  phaseId: string | null;
}

export function contributionOf(node: CountedInitiative, rules: ProgramRules): Contribution | null {
  if (!isEligible(node, rules)) return null;
  // Under an approval-date rule a pending initiative has no approval date yet: it sits in the phase of its submission.
  const countedOn = rules.countingRule.date === 'approvedAt' && node.approvedOn ? node.approvedOn : node.submittedOn;
  const phaseId = phaseOn(rules, countedOn)?.id ?? null;
  const counted = rules.countingRule.basis === 'approved' ? node.status === 'approved' : node.status === 'approved' || node.status === 'submitted';
  return {
    keys: phaseId ? [phaseId, WHOLE_PROGRAM_KEY] : [WHOLE_PROGRAM_KEY],
    status: node.status,
    counted,
    countedOn,
    benefit: node.status === 'approved' ? (node.recognisedValue ?? 0n) : 0n,
    phaseId,
  };
}

export function isEligible(node: Pick<CountedInitiative, 'appliedOn'>, rules: ProgramRules): boolean {
  return isWithin(node.appliedOn, rules.eligibility);
}
