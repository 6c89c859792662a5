import { DomainEvent } from '../shared/decider';

/** `phaseId` null is the unit's whole-programme quota. The latest assignment for a phase wins. */
export type QuotaAssigned = DomainEvent<
  'QuotaAssigned',
  { programId: string; unitId: string; phaseId: string | null; quota: number; previousQuota: number | null; documentRef: string; assignedByUnitId: string | null }
>;

export type QuotaEvent = QuotaAssigned;
