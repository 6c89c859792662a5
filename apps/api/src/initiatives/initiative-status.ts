import type { InitiativeStatus } from '@app/domain';

/**
 * The API's word for an initiative awaiting a decision is `pending`, as in the progress rows (where
 * `submitted` counts every recorded initiative). The events and read models keep their own word.
 */
export const INITIATIVE_STATUSES = ['pending', 'approved', 'rejected', 'withdrawn', 'revoked'] as const;
export type ApiInitiativeStatus = (typeof INITIATIVE_STATUSES)[number];

export function toStoredStatus(status: ApiInitiativeStatus): InitiativeStatus {
  return status === 'pending' ? 'submitted' : status;
}

export function withApiStatus<T extends { status: InitiativeStatus }>(doc: T): Omit<T, 'status'> & { status: ApiInitiativeStatus } {
  return { ...doc, status: doc.status === 'submitted' ? 'pending' : doc.status };
}
