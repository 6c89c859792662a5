import { localDateOf } from '@app/domain';
import { StoredEvent } from '@app/event-store';

/**
 * "The figures on a business date, as known today": keeps the facts whose own dates fall on or
 * before `date`, whenever they were recorded (data is often back-filled late). Initiatives
 * submitted after the date did not exist yet, with all their later events; approvals, rejections,
 * withdrawals and revocations count from their own dates; quota letters from the day they were
 * recorded. Corrections and moves fix data and always apply; the unit tree is today's (rollups
 * follow the current tree), member counts carry their own effective dates.
 */
export function businessDateFilter(date: string): (event: StoredEvent) => boolean {
  const notYetSubmitted = new Set<string>();
  const decisionPending = new Set<string>();
  return (event) => {
    const data = event.data as Record<string, string>;
    const initiativeId = data.initiativeId;
    switch (event.type) {
      case 'InitiativeSubmitted':
        if (data.submittedOn > date) notYetSubmitted.add(initiativeId);
        return data.submittedOn <= date;
      case 'InitiativeApproved':
      case 'InitiativeRejected':
      case 'InitiativeWithdrawn':
      case 'InitiativeApprovalRevoked': {
        if (notYetSubmitted.has(initiativeId) || decisionPending.has(initiativeId)) return false;
        const on = data.approvedOn ?? data.rejectedOn ?? data.withdrawnOn ?? data.revokedOn;
        if (on > date) decisionPending.add(initiativeId);
        return on <= date;
      }
      case 'InitiativeCorrected':
      case 'InitiativeMoved':
        return !notYetSubmitted.has(initiativeId);
      case 'QuotaAssigned':
        return localDateOf(event.metadata.recordedAt) <= date;
      default:
        return true;
    }
  };
}
