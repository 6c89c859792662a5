import { compileSchema, CompiledSchema, FieldKind, fieldsNotMatching } from '../event-schemas';
import { EventDecodingError, RecordedEvent } from '../event-codec';
import { AccessEvent, ACCESS_EVENT_TYPES } from './access.events';

type AccessSchemas = { [T in AccessEvent['type']]: { [K in keyof Extract<AccessEvent, { type: T }>['data']]-?: FieldKind } };

const scope = { subject: 'string', role: 'string', unitId: 'string|null', documentRef: 'string|null' } as const;

const ACCESS_DATA_SCHEMAS: AccessSchemas = {
  RoleGranted: { ...scope, grantedBy: 'string', grantedAt: 'string' },
  RoleRevoked: { ...scope, revokedBy: 'string', revokedAt: 'string' },
  ApiKeyCreated: { keyId: 'string', subject: 'string', displayName: 'string', secretHash: 'string', expiresAt: 'string|null', createdBy: 'string', createdAt: 'string' },
  ApiKeyRevoked: { keyId: 'string', reason: 'string|null', revokedBy: 'string', revokedAt: 'string' },
};

const checks = new Map<string, CompiledSchema>(Object.entries(ACCESS_DATA_SCHEMAS).map(([type, schema]) => [type, compileSchema(schema)]));

/**
 * The access stream's events (grants and API keys) are not programme events: they have a codec of
 * their own, so that no projection of figures ever decodes them. All are at schema version 1.
 */
export const accessEventCodec = {
  encode(event: AccessEvent): { type: string; data: Record<string, unknown>; schemaVersion: number } {
    return { type: event.type, data: event.data as unknown as Record<string, unknown>, schemaVersion: 1 };
  },
  decode(recorded: RecordedEvent): AccessEvent {
    const { type, streamId, position } = recorded;
    const written = recorded.metadata?.schemaVersion ?? 1;
    const fail = (reason: string) => new EventDecodingError({ type, streamId, position, schemaVersion: written }, reason);
    if (!(ACCESS_EVENT_TYPES as readonly string[]).includes(type)) throw fail('not an access event');
    if (written !== 1) throw fail('this service reads version 1');
    const wrong = fieldsNotMatching(recorded.data, checks.get(type)!);
    if (wrong.length > 0) throw fail(`fields missing or of the wrong kind: ${wrong.join(', ')}`);
    return { type, data: recorded.data } as AccessEvent;
  },
};
