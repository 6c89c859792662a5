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

/** Every grant and key ever recorded, in log order, and the same records by subject and by key id. */
export interface AccessState {
  grants: GrantRecord[];
  keys: ApiKeyRecord[];
  grantsBySubject: Map<string, GrantRecord[]>;
  keysById: Map<string, ApiKeyRecord>;
}

export const initialAccessState = (): AccessState => ({ grants: [], keys: [], grantsBySubject: new Map(), keysById: new Map() });

/**
 * Appends to the state it is given and returns it: the fold owns its state, and a copy per event
 * made loading the access stream quadratic — a national programme holds a credential or two per
 * union (40,000 grants took 31 s to fold). A revocation is written on its record, which the list
 * and the index share.
 */
export function evolveAccess(state: AccessState, event: AccessEvent): AccessState {
  switch (event.type) {
    case 'RoleGranted': {
      const { subject, role, unitId, documentRef, grantedBy, grantedAt } = event.data;
      const grant: GrantRecord = { subject, role, unitId, documentRef, grantedBy, grantedAt, revoked: null };
      state.grants.push(grant);
      const ofSubject = state.grantsBySubject.get(subject);
      if (ofSubject) ofSubject.push(grant);
      else state.grantsBySubject.set(subject, [grant]);
      return state;
    }
    case 'RoleRevoked': {
      const { revokedBy, revokedAt, documentRef } = event.data;
      const grant = activeGrant(state, event.data);
      if (grant) grant.revoked = { by: revokedBy, at: revokedAt, documentRef };
      return state;
    }
    case 'ApiKeyCreated': {
      const key: ApiKeyRecord = { ...event.data, revoked: null };
      state.keys.push(key);
      state.keysById.set(key.keyId, key);
      return state;
    }
    case 'ApiKeyRevoked': {
      const { keyId, revokedBy, revokedAt, reason } = event.data;
      const key = state.keysById.get(keyId);
      if (key && !key.revoked) key.revoked = { by: revokedBy, at: revokedAt, reason };
      return state;
    }
  }
}

export function sameScope(a: GrantScope, b: GrantScope): boolean {
  return a.subject === b.subject && a.role === b.role && a.unitId === b.unitId;
}

export function activeGrant(state: AccessState, scope: GrantScope): GrantRecord | undefined {
  return state.grantsBySubject.get(scope.subject)?.find((g) => g.revoked === null && sameScope(g, scope));
}

/** A key that authenticates now: recorded, not revoked, not expired. */
export function usableKey(state: AccessState, keyId: string, now: string): ApiKeyRecord | undefined {
  const key = state.keysById.get(keyId);
  if (!key || key.revoked || (key.expiresAt !== null && Date.parse(key.expiresAt) <= Date.parse(now))) return undefined;
  return key;
}

/**
 * Whether the subject holds one of the roles over a place: `unitPath` is the unit and its ancestors
 * (any order), as the tree is now; null is a place outside every unit (programmes, the whole
 * system), where only a role held everywhere counts. An admin may do everything.
 */
export function holdsRole(state: AccessState, subject: string, roles: readonly Role[], unitPath: readonly string[] | null): boolean {
  return (state.grantsBySubject.get(subject) ?? []).some(
    (g) =>
      g.revoked === null &&
      (g.role === 'admin' || roles.includes(g.role)) &&
      (g.unitId === null || (unitPath !== null && unitPath.includes(g.unitId))),
  );
}
