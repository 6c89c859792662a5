import { Contribution, InitiativeStatus, LocalDate } from '@app/domain';
import { Figures } from '../progress/figures';

/**
 * What the projection keeps of an initiative between batches: only what places it in the figures.
 * Titles, authors, search text and the rest live in the initiative's stored document.
 */
export interface InitiativeNode {
  initiativeId: string;
  programId: string;
  unitId: string;
  status: InitiativeStatus;
  appliedOn: LocalDate;
  submittedOn: LocalDate;
  approvedOn: LocalDate | null;
  benefitValue: bigint;
  recognisedValue: bigint | null;
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
