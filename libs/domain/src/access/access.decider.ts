import { Decider } from '../shared/decider';
import { DomainError } from '../shared/domain-error';
import { AccessCommand } from './access.commands';
import { AccessEvent, RoleGranted } from './access.events';
import { activeGrant, AccessState, evolveAccess, initialAccessState } from './access.state';

/** Grants and API keys of the whole service: one small stream, so that a key and its grants are written atomically. */
export const accessDecider: Decider<AccessCommand, AccessEvent, AccessState> = {
  initialState: initialAccessState,
  evolve: evolveAccess,
  decide(command, state) {
    switch (command.type) {
      case 'GrantRole': {
        const { subject, role, unitId, documentRef, by, now } = command;
        if (activeGrant(state, command)) {
          throw new DomainError('ROLE_ALREADY_GRANTED', `${subject} already holds ${role} over ${unitId ?? 'every unit'}`, 'conflict');
        }
        return [{ type: 'RoleGranted', data: { subject, role, unitId, documentRef, grantedBy: by, grantedAt: now } }];
      }
      case 'RevokeRole': {
        const { subject, role, unitId, documentRef, by, now } = command;
        if (!activeGrant(state, command)) {
          throw new DomainError('GRANT_NOT_FOUND', `${subject} does not hold ${role} over ${unitId ?? 'every unit'}`, 'not_found');
        }
        return [{ type: 'RoleRevoked', data: { subject, role, unitId, documentRef, revokedBy: by, revokedAt: now } }];
      }
      case 'CreateApiKey': {
        const { keyId, subject, displayName, secretHash, expiresAt, roles, documentRef, by, now } = command;
        if (state.keysById.has(keyId)) throw new DomainError('API_KEY_ALREADY_EXISTS', `API key ${keyId} already exists`, 'conflict');
        if (expiresAt !== null && Date.parse(expiresAt) <= Date.parse(now)) {
          throw new DomainError('API_KEY_EXPIRY_IN_PAST', `The key would expire at ${expiresAt}, before now`, 'rule');
        }
        const grants: RoleGranted[] = roles
          .filter((r, i) => !activeGrant(state, { subject, ...r }) && roles.findIndex((o) => o.role === r.role && o.unitId === r.unitId) === i)
          .map((r) => ({ type: 'RoleGranted', data: { subject, ...r, documentRef, grantedBy: by, grantedAt: now } }));
        return [{ type: 'ApiKeyCreated', data: { keyId, subject, displayName, secretHash, expiresAt, createdBy: by, createdAt: now } }, ...grants];
      }
      case 'RevokeApiKey': {
        const key = state.keysById.get(command.keyId);
        if (!key) throw new DomainError('API_KEY_NOT_FOUND', `API key ${command.keyId} does not exist`, 'not_found', { id: command.keyId });
        if (key.revoked) return [];
        return [{ type: 'ApiKeyRevoked', data: { keyId: key.keyId, reason: command.reason, revokedBy: command.by, revokedAt: command.now } }];
      }
    }
  },
};
