import { InitiativeStatus, isWithin, LocalDate, phaseOn, WHOLE_PROGRAM_KEY } from '@app/domain';
import { Figures } from '../progress/figures';
import { ProgramRules } from './program-rules';

/** What the projection keeps of an initiative: enough to place it in the figures and to list it. */
export interface InitiativeNode {
  initiativeId: string;
  programId: string;
  unitId: string;
  status: InitiativeStatus;
  title: string;
  authors: string[];
  /** Kept with the node: folding diacritics at every write of the document was a visible cost of rebuilds. */
  searchText: string;
  /** Every unit it has ever been under: whose histories its events belong to. */
  everUnitPath: string[];
  category: string;
  appliedOn: LocalDate;
  submittedAt: string;
  submittedOn: LocalDate;
  approvedAt: string | null;
  approvedOn: LocalDate | null;
  benefitValue: bigint;
  recognisedValue: bigint | null;
  decisionRef: string | null;
  reason: string | null;
  position: bigint;
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

export function contributionOf(node: InitiativeNode, rules: ProgramRules): Contribution | null {
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

export function isEligible(node: Pick<InitiativeNode, 'appliedOn'>, rules: ProgramRules): boolean {
  return isWithin(node.appliedOn, rules.eligibility);
}

/** figures += sign × contribution (for one phase key). */
export function addContribution(figures: Figures, c: Contribution, sign: 1 | -1): void {
  figures.submitted += sign;
  switch (c.status) {
    case 'approved':
      figures.approved += sign;
      break;
    case 'submitted':
      figures.pending += sign;
      break;
    case 'rejected':
    case 'revoked':
      figures.rejected += sign;
      break;
    case 'withdrawn':
      figures.withdrawn += sign;
      break;
  }
  if (c.counted) {
    figures.counted += sign;
    figures.countedByDate.add(c.countedOn, sign);
  }
  figures.benefitValue += BigInt(sign) * c.benefit;
}
