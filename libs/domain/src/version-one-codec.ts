import { compileSchema, CompiledSchema, FieldKind, fieldsNotMatching } from './event-schemas';
import { EventDecodingError, RecordedEvent } from './event-codec';
import { DomainEvent } from './shared/decider';

/** Every field of every event type's data, as for the domain's events. */
export type SchemasOf<E extends DomainEvent> = { [T in E['type']]: { [K in keyof Extract<E, { type: T }>['data']]-?: FieldKind } };

/**
 * A codec for events that are not programme events (grants, reorganisations' own bookkeeping) and
 * have only ever had version 1: no projection of figures decodes them, and they need no upcasters.
 * `what` names them in errors ("not an access event").
 */
export function versionOneCodec<E extends DomainEvent>(what: string, schemas: SchemasOf<E>) {
  const checks = new Map<string, CompiledSchema>(Object.entries(schemas).map(([type, schema]) => [type, compileSchema(schema as Record<string, FieldKind>)]));
  return {
    encode(event: E): { type: string; data: Record<string, unknown>; schemaVersion: number } {
      return { type: event.type, data: event.data as unknown as Record<string, unknown>, schemaVersion: 1 };
    },
    decode(recorded: RecordedEvent): E {
      const { type, streamId, position } = recorded;
      const written = recorded.metadata?.schemaVersion ?? 1;
      const fail = (reason: string) => new EventDecodingError({ type, streamId, position, schemaVersion: written }, reason);
      const check = checks.get(type);
      if (!check) throw fail(`not ${what}`);
      if (written !== 1) throw fail('this service reads version 1');
      const wrong = fieldsNotMatching(recorded.data, check);
      if (wrong.length > 0) throw fail(`fields missing or of the wrong kind: ${wrong.join(', ')}`);
      return { type, data: recorded.data } as E;
    },
  };
}
