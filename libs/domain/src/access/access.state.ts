import { AccessEvent, GrantScope, Role } from './access.events';

export interface GrantRecord extends GrantScope {
  documentRef: string | null;
  grantedBy: string;
  grantedAt: string;
  /** Set once revoked: the record stays, so that "who could do this on that date" can be answered. */
  revoked: { by: string; at: string; documentRef: string | null } | null;
}

export interface ApiKeyRecord {
  keyId: string;
  subject: string;
  displayName: string;
  secretHash: string;
  expiresAt: string | null;
  createdBy: string;
  createdAt: string;
  revoked: { by: string; at: string; reason: string | null } | null;
}

/** Every grant and key ever recorded, in log order. */
export interface AccessState {
  grants: GrantRecord[];
  keys: ApiKeyRecord[];
}

export const initialAccessState = (): AccessState => ({ grants: [], keys: [] });

export function evolveAccess(state: AccessState, event: AccessEvent): AccessState {
  switch (event.type) {
    case 'RoleGranted': {
      const { subject, role, unitId, documentRef, grantedBy, grantedAt } = event.data;
      return { ...state, grants: [...state.grants, { subject, role, unitId, documentRef, grantedBy, grantedAt, revoked: null }] };
    }
    case 'RoleRevoked': {
      const { revokedBy, revokedAt, documentRef } = event.data;
      const at = state.grants.findIndex((g) => g.revoked === null && sameScope(g, event.data));
      if (at < 0) return state;
      const grants = [...state.grants];
      grants[at] = { ...grants[at], revoked: { by: revokedBy, at: revokedAt, documentRef } };
      return { ...state, grants };
    }
    case 'ApiKeyCreated':
      return { ...state, keys: [...state.keys, { ...event.data, revoked: null }] };
    case 'ApiKeyRevoked': {
      const { keyId, revokedBy, revokedAt, reason } = event.data;
      return { ...state, keys: state.keys.map((k) => (k.keyId === keyId && !k.revoked ? { ...k, revoked: { by: revokedBy, at: revokedAt, reason } } : k)) };
    }
  }
}

export function sameScope(a: GrantScope, b: GrantScope): boolean {
  return a.subject === b.subject && a.role === b.role && a.unitId === b.unitId;
}

export function activeGrant(state: AccessState, scope: GrantScope): GrantRecord | undefined {
  return state.grants.find((g) => g.revoked === null && sameScope(g, scope));
}

/** A key that authenticates now: recorded, not revoked, not expired. */
export function usableKey(state: AccessState, keyId: string, now: string): ApiKeyRecord | undefined {
  const key = state.keys.find((k) => k.keyId === keyId);
  if (!key || key.revoked || (key.expiresAt !== null && Date.parse(key.expiresAt) <= Date.parse(now))) return undefined;
  return key;
}

/**
 * Whether the subject holds one of the roles over a place: `unitPath` is the unit and its ancestors
 * (any order), as the tree is now; null is a place outside every unit (programmes, the whole
 * system), where only a role held everywhere counts. An admin may do everything.
 */
export function holdsRole(state: AccessState, subject: string, roles: readonly Role[], unitPath: readonly string[] | null): boolean {
  return state.grants.some(
    (g) =>
      g.revoked === null &&
      g.subject === subject &&
      (g.role === 'admin' || roles.includes(g.role)) &&
      (g.unitId === null || (unitPath !== null && unitPath.includes(g.unitId))),
  );
}
