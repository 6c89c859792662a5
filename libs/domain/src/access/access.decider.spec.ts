import { AccessEvent, accessDecider, fold, holdsRole, RoleGranted, usableKey } from '@app/domain';
import { given } from '../../test/decider-spec';

const now = '2026-01-10T03:00:00.000Z';
const granted = (subject: string, role: RoleGranted['data']['role'], unitId: string | null): RoleGranted => ({
  type: 'RoleGranted',
  data: { subject, role, unitId, documentRef: 'QĐ 7', grantedBy: 'root', grantedAt: now },
});
const keyCreated = (expiresAt: string | null): AccessEvent => ({
  type: 'ApiKeyCreated',
  data: { keyId: 'k1', subject: 'importer', displayName: 'Importer', secretHash: 'ab', expiresAt, createdBy: 'root', createdAt: now },
});

describe('access decider', () => {
  it('grants a role once; granting it again is a conflict', () => {
    const grant = { type: 'GrantRole' as const, subject: 'hoa', role: 'officer' as const, unitId: 'na-ri', documentRef: 'QĐ 7', by: 'root', now };
    given(accessDecider).when(grant).then([granted('hoa', 'officer', 'na-ri')]);
    given(accessDecider, [granted('hoa', 'officer', 'na-ri')]).when(grant).thenFails('ROLE_ALREADY_GRANTED', 'conflict');
  });

  it('revokes only a role held, and keeps the revoked grant on record', () => {
    const revoke = { type: 'RevokeRole' as const, subject: 'hoa', role: 'officer' as const, unitId: 'na-ri', documentRef: null, by: 'root', now };
    given(accessDecider).when(revoke).thenFails('GRANT_NOT_FOUND', 'not_found');
    const [revoked] = given(accessDecider, [granted('hoa', 'officer', 'na-ri')]).when(revoke).then([
      { type: 'RoleRevoked', data: { subject: 'hoa', role: 'officer', unitId: 'na-ri', documentRef: null, revokedBy: 'root', revokedAt: now } },
    ]);
    const state = fold(accessDecider, [granted('hoa', 'officer', 'na-ri'), revoked]);
    expect(state.grants).toEqual([expect.objectContaining({ subject: 'hoa', revoked: { by: 'root', at: now, documentRef: null } })]);
    expect(holdsRole(state, 'hoa', ['officer'], ['na-ri'])).toBe(false);
  });

  it('creates a key with the grants its subject lacks, once each', () => {
    given(accessDecider, [granted('importer', 'reader', null)])
      .when({
        type: 'CreateApiKey',
        keyId: 'k1',
        subject: 'importer',
        displayName: 'Importer',
        secretHash: 'ab',
        expiresAt: null,
        roles: [{ role: 'reader', unitId: null }, { role: 'officer', unitId: 'bk' }, { role: 'officer', unitId: 'bk' }],
        documentRef: 'QĐ 7',
        by: 'root',
        now,
      })
      .then([keyCreated(null), { ...granted('importer', 'officer', 'bk') }]);
  });

  it('a key authenticates until it expires or is revoked', () => {
    const state = fold(accessDecider, [keyCreated('2026-01-11T00:00:00Z')]);
    expect(usableKey(state, 'k1', now)?.subject).toBe('importer');
    expect(usableKey(state, 'k1', '2026-01-11T00:00:00Z')).toBeUndefined();
    const revoked = fold(accessDecider, [keyCreated(null), { type: 'ApiKeyRevoked', data: { keyId: 'k1', reason: null, revokedBy: 'root', revokedAt: now } }]);
    expect(usableKey(revoked, 'k1', now)).toBeUndefined();
  });

  it('a role counts over its unit and everything beneath it; a global role everywhere; admin for every role', () => {
    const state = fold(accessDecider, [granted('hoa', 'council', 'na-ri'), granted('lan', 'auditor', null), granted('root', 'admin', null)]);
    expect(holdsRole(state, 'hoa', ['council'], ['school', 'na-ri', 'bk'])).toBe(true);
    expect(holdsRole(state, 'hoa', ['council'], ['bk'])).toBe(false);
    expect(holdsRole(state, 'hoa', ['officer'], ['na-ri'])).toBe(false);
    expect(holdsRole(state, 'hoa', ['council'], null)).toBe(false);
    expect(holdsRole(state, 'lan', ['auditor'], null)).toBe(true);
    expect(holdsRole(state, 'root', ['officer'], ['anything'])).toBe(true);
  });
});
