import { InitiativeEvent } from './initiatives/initiative.events';
import { ProgramEvent } from './programs/program.events';
import { QuotaEvent } from './quotas/quota.events';
import { UnitEvent } from './units/unit.events';

export type AnyDomainEvent = ProgramEvent | UnitEvent | QuotaEvent | InitiativeEvent;
export type DomainEventType = AnyDomainEvent['type'];

/**
 * The current schema version of every event type we write. A change to an event's data that old
 * readers could misread bumps its version and adds an upcaster to DOMAIN_UPCASTERS (event-codec.ts),
 * the one place stored events are decoded: readers see only current shapes.
 */
export const EVENT_SCHEMA_VERSIONS: Record<DomainEventType, number> = {
  ProgramLaunched: 1,
  PhaseAmended: 1,
  CountingRuleChanged: 1,
  EligibilityWindowChanged: 1,
  UnitRegistered: 1,
  MemberCountRecorded: 1,
  UnitMoved: 1,
  UnitMerged: 1,
  UnitClosed: 1,
  QuotaAssigned: 1,
  InitiativeSubmitted: 1,
  InitiativeApproved: 1,
  InitiativeRejected: 1,
  InitiativeWithdrawn: 1,
  InitiativeApprovalRevoked: 1,
  InitiativeCorrected: 1,
  InitiativeMoved: 1,
};

export const DOMAIN_EVENT_TYPES = Object.keys(EVENT_SCHEMA_VERSIONS) as DomainEventType[];

export function isDomainEventType(type: string): type is DomainEventType {
  return Object.prototype.hasOwnProperty.call(EVENT_SCHEMA_VERSIONS, type);
}
