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
  // No BigInt(sign) and product per figure: each is an allocation, on every unit of the chain.
  figures.benefitValue = sign === 1 ? figures.benefitValue + c.benefit : figures.benefitValue - c.benefit;
}
