import { SchemasOf, versionOneCodec } from '../version-one-codec';
import { AccessEvent } from './access.events';

const scope = { subject: 'string', role: 'string', unitId: 'string|null', documentRef: 'string|null' } as const;

const ACCESS_DATA_SCHEMAS: SchemasOf<AccessEvent> = {
  RoleGranted: { ...scope, grantedBy: 'string', grantedAt: 'string' },
  RoleRevoked: { ...scope, revokedBy: 'string', revokedAt: 'string' },
  ApiKeyCreated: { keyId: 'string', subject: 'string', displayName: 'string', secretHash: 'string', expiresAt: 'string|null', createdBy: 'string', createdAt: 'string' },
  ApiKeyRevoked: { keyId: 'string', reason: 'string|null', revokedBy: 'string', revokedAt: 'string' },
};

/**
 * The access stream's events (grants and API keys) are not programme events: they have a codec of
 * their own, so that no projection of figures ever decodes them. All are at schema version 1.
 */
export const accessEventCodec = versionOneCodec<AccessEvent>('an access event', ACCESS_DATA_SCHEMAS);
