import { domainEventCodec, InitiativeEvent, InitiativeStatus, isDomainEventType, LocalDate } from '@app/domain';
import { EventStore, StoredEvent } from '@app/event-store';
import type { ReadModelProjections } from './read-model-projections';

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

/** The projection's own copy of an initiative's state (kept lean: no domain aggregate per initiative). */
export function evolveNode(node: InitiativeNode | undefined, e: InitiativeEvent): InitiativeNode | undefined {
  if (e.type === 'InitiativeSubmitted') {
    const d = e.data;
    return {
      initiativeId: d.initiativeId,
      programId: d.programId,
      unitId: d.unitId,
      status: 'submitted',
      appliedOn: d.appliedOn,
      submittedOn: d.submittedOn,
      approvedOn: null,
      benefitValue: BigInt(d.benefitValue),
      recognisedValue: null,
    };
  }
  if (!node) return undefined;
  switch (e.type) {
    case 'InitiativeApproved':
      return { ...node, status: 'approved', approvedOn: e.data.approvedOn, recognisedValue: BigInt(e.data.benefitValue) };
    case 'InitiativeRejected':
      return { ...node, status: 'rejected' };
    case 'InitiativeWithdrawn':
      return { ...node, status: 'withdrawn' };
    case 'InitiativeApprovalRevoked':
      return { ...node, status: 'revoked', recognisedValue: null };
    case 'InitiativeCorrected': {
      const { appliedOn, benefitValue } = e.data.changes;
      return { ...node, ...(appliedOn !== undefined ? { appliedOn } : {}), ...(benefitValue !== undefined ? { benefitValue: BigInt(benefitValue) } : {}) };
    }
    case 'InitiativeMoved':
      return { ...node, unitId: e.data.unitId };
  }
}

/**
 * An initiative's node just before one of its events, folded from its own stream: the events of
 * lower revision. Exact whatever the read models hold, so a projection that let the node go (to keep
 * memory bounded) takes it back from the source of truth.
 */
export function nodeBefore(stream: readonly StoredEvent[], revision: bigint): InitiativeNode | undefined {
  let node: InitiativeNode | undefined;
  for (const event of stream) {
    if (event.revision >= revision) break;
    if (!isDomainEventType(event.type)) continue;
    node = evolveNode(node, domainEventCodec.decode(event) as InitiativeEvent);
  }
  return node;
}

/** Before an event of an initiative whose node the projection let go: the node as it stood just before, folded from the stream. */
export async function giveBackNode(events: EventStore, projection: Pick<ReadModelProjections, 'initiativeToLoad' | 'load'>, event: StoredEvent): Promise<void> {
  if (projection.initiativeToLoad(event) === undefined) return;
  const node = nodeBefore(await events.readStream(event.streamId), event.revision);
  if (node) projection.load(node);
}
