import { compileSchema, CompiledSchema, FieldKind, fieldsNotMatching } from '../event-schemas';
import { EventDecodingError, RecordedEvent } from '../event-codec';
import { ReorganisationEvent, REORGANISATION_EVENT_TYPES } from './reorganisation.events';

type Schemas = { [T in ReorganisationEvent['type']]: { [K in keyof Extract<ReorganisationEvent, { type: T }>['data']]-?: FieldKind } };

const SCHEMAS: Schemas = {
  ReorganisationDecided: { reorganisationId: 'string', documentRef: 'string', effectiveOn: 'string', steps: 'array', planHash: 'string', decidedBy: 'string', decidedAt: 'string' },
  ReorganisationProgressed: { reorganisationId: 'string', stepsDone: 'number' },
  ReorganisationCompleted: { reorganisationId: 'string', stepsDone: 'number', completedAt: 'string' },
};

const checks = new Map<string, CompiledSchema>(Object.entries(SCHEMAS).map(([type, schema]) => [type, compileSchema(schema)]));

/**
 * A reorganisation's own events record the decision and the process's progress; the figures come
 * from the unit events its steps write. So they have a codec of their own, which no projection of
 * figures decodes. All are at schema version 1.
 */
export const reorganisationEventCodec = {
  encode(event: ReorganisationEvent): { type: string; data: Record<string, unknown>; schemaVersion: number } {
    return { type: event.type, data: event.data as unknown as Record<string, unknown>, schemaVersion: 1 };
  },
  decode(recorded: RecordedEvent): ReorganisationEvent {
    const { type, streamId, position } = recorded;
    const written = recorded.metadata?.schemaVersion ?? 1;
    const fail = (reason: string) => new EventDecodingError({ type, streamId, position, schemaVersion: written }, reason);
    if (!(REORGANISATION_EVENT_TYPES as readonly string[]).includes(type)) throw fail('not a reorganisation event');
    if (written !== 1) throw fail('this service reads version 1');
    const wrong = fieldsNotMatching(recorded.data, checks.get(type)!);
    if (wrong.length > 0) throw fail(`fields missing or of the wrong kind: ${wrong.join(', ')}`);
    return { type, data: recorded.data } as ReorganisationEvent;
  },
};
