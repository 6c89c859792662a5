import { Contribution } from '@app/domain';
import { Figures } from '../progress/figures';

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
