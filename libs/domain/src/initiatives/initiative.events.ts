import { DomainEvent } from '../shared/decider';
import { Author } from '../personal-data/author';
import { LocalDate } from '../shared/local-date';

/** The programme's kinds of initiative: technical, management or operational solutions, applied technology, research. */
export const INITIATIVE_CATEGORIES = ['technical', 'management', 'operational', 'technology', 'research'] as const;
export type InitiativeCategory = (typeof INITIATIVE_CATEGORIES)[number];

export type InitiativeStatus = 'submitted' | 'approved' | 'rejected' | 'withdrawn' | 'revoked';

/**
 * Every initiative event names its programme and current unit, so that a reader of one event
 * (an auditor's history, an index of which streams touch which unit) needs no other.
 * Money is a string of digits (whole VND). `...On` fields are Vietnam local dates of `...At` instants.
 */
interface InitiativeRef {
  initiativeId: string;
  programId: string;
  unitId: string;
}

export type InitiativeSubmitted = DomainEvent<
  'InitiativeSubmitted',
  InitiativeRef & {
    title: string;
    authors: Author[];
    category: InitiativeCategory;
    appliedOn: LocalDate;
    submittedAt: string;
    submittedOn: LocalDate;
    benefitValue: string;
  }
>;
export type InitiativeApproved = DomainEvent<
  'InitiativeApproved',
  InitiativeRef & { approvedAt: string; approvedOn: LocalDate; benefitValue: string; decisionRef: string }
>;
export type InitiativeRejected = DomainEvent<
  'InitiativeRejected',
  InitiativeRef & { rejectedAt: string; rejectedOn: LocalDate; reason: string }
>;
export type InitiativeWithdrawn = DomainEvent<
  'InitiativeWithdrawn',
  InitiativeRef & { withdrawnAt: string; withdrawnOn: LocalDate; reason: string | null }
>;
export type InitiativeApprovalRevoked = DomainEvent<
  'InitiativeApprovalRevoked',
  InitiativeRef & { revokedAt: string; revokedOn: LocalDate; reason: string; documentRef: string | null }
>;

export interface InitiativeCorrections {
  title?: string;
  authors?: Author[];
  category?: InitiativeCategory;
  appliedOn?: LocalDate;
  benefitValue?: string;
}
export type InitiativeCorrected = DomainEvent<
  'InitiativeCorrected',
  InitiativeRef & { changes: InitiativeCorrections; reason: string | null }
>;
export type InitiativeMoved = DomainEvent<
  'InitiativeMoved',
  InitiativeRef & { fromUnitId: string; reason: string | null }
>;

export type InitiativeEvent =
  | InitiativeSubmitted
  | InitiativeApproved
  | InitiativeRejected
  | InitiativeWithdrawn
  | InitiativeApprovalRevoked
  | InitiativeCorrected
  | InitiativeMoved;

export const INITIATIVE_EVENT_TYPES: readonly InitiativeEvent['type'][] = [
  'InitiativeSubmitted',
  'InitiativeApproved',
  'InitiativeRejected',
  'InitiativeWithdrawn',
  'InitiativeApprovalRevoked',
  'InitiativeCorrected',
  'InitiativeMoved',
];
