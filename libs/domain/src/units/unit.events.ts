import { DomainEvent } from '../shared/decider';
import { LocalDate } from '../shared/local-date';

/** Provincial federation → sector unions and district federations → grassroots unions. */
export const UNIT_KINDS = ['province', 'sector', 'district', 'grassroots'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

export type UnitRegistered = DomainEvent<
  'UnitRegistered',
  { unitId: string; name: string; kind: UnitKind; parentId: string | null; memberCount: number; effectiveOn: LocalDate }
>;
export type MemberCountRecorded = DomainEvent<'MemberCountRecorded', { unitId: string; memberCount: number; effectiveOn: LocalDate }>;
export type UnitMoved = DomainEvent<
  'UnitMoved',
  { unitId: string; fromParentId: string | null; toParentId: string; effectiveOn: LocalDate; documentRef: string | null }
>;
/** The unit stops taking initiatives; its history and subtree count for the unit it merged into. */
export type UnitMerged = DomainEvent<
  'UnitMerged',
  { unitId: string; intoUnitId: string; fromParentId: string | null; effectiveOn: LocalDate; documentRef: string | null }
>;
export type UnitClosed = DomainEvent<'UnitClosed', { unitId: string; effectiveOn: LocalDate; documentRef: string | null; reason: string | null }>;

export type UnitEvent = UnitRegistered | MemberCountRecorded | UnitMoved | UnitMerged | UnitClosed;
export const UNIT_EVENT_TYPES: readonly UnitEvent['type'][] = ['UnitRegistered', 'MemberCountRecorded', 'UnitMoved', 'UnitMerged', 'UnitClosed'];
