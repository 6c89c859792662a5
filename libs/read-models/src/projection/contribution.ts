import { Contribution, InitiativeStatus, LocalDate } from '@app/domain';
import { Figures } from '../progress/figures';

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
