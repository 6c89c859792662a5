import { randomUUID } from 'node:crypto';
import { NewEvent } from '@app/event-store';

export const NOW = '2026-01-05T03:00:00.000Z';
export const member = { name: 'Phạm Thị Xuyến', memberNo: 'CD-0001' };

/** An InitiativeSubmitted event as the API writes it, with these authors. */
export function submission(initiativeId: string, authors: unknown[]): NewEvent {
  return {
    id: randomUUID(),
    type: 'InitiativeSubmitted',
    data: { initiativeId, programId: 'bk', unitId: 'cs-1', title: `Sáng kiến ${initiativeId}`, authors, category: 'technical', appliedOn: '2026-01-01', submittedAt: NOW, submittedOn: '2026-01-05', benefitValue: '1000' },
    metadata: { actor: 'test', recordedAt: NOW, correlationId: randomUUID(), schemaVersion: 1 },
  };
}
