import { DomainEvent } from '../shared/decider';

/** Who may do what (see the README's access section): each role is held over a unit's subtree, or everywhere. */
export const ROLES = ['admin', 'officer', 'council', 'auditor', 'reader'] as const;
export type Role = (typeof ROLES)[number];

export interface GrantScope {
  subject: string;
  role: Role;
  /** The root of the subtree the role is held over; null: every unit. */
  unitId: string | null;
}

export type RoleGranted = DomainEvent<'RoleGranted', GrantScope & { documentRef: string | null; grantedBy: string; grantedAt: string }>;
export type RoleRevoked = DomainEvent<'RoleRevoked', GrantScope & { documentRef: string | null; revokedBy: string; revokedAt: string }>;
/** Only the secret's SHA-256 is recorded: the secret itself is shown once, to whoever created the key. */
export type ApiKeyCreated = DomainEvent<
  'ApiKeyCreated',
  { keyId: string; subject: string; displayName: string; secretHash: string; expiresAt: string | null; createdBy: string; createdAt: string }
>;
export type ApiKeyRevoked = DomainEvent<'ApiKeyRevoked', { keyId: string; reason: string | null; revokedBy: string; revokedAt: string }>;

export type AccessEvent = RoleGranted | RoleRevoked | ApiKeyCreated | ApiKeyRevoked;
export const ACCESS_EVENT_TYPES: readonly AccessEvent['type'][] = ['RoleGranted', 'RoleRevoked', 'ApiKeyCreated', 'ApiKeyRevoked'];
