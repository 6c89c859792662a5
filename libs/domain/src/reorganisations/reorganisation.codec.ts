import { SchemasOf, versionOneCodec } from '../version-one-codec';
import { ReorganisationEvent } from './reorganisation.events';

const SCHEMAS: SchemasOf<ReorganisationEvent> = {
  ReorganisationDecided: { reorganisationId: 'string', documentRef: 'string', effectiveOn: 'string', steps: 'array', planHash: 'string', decidedBy: 'string', decidedAt: 'string' },
  ReorganisationProgressed: { reorganisationId: 'string', stepsDone: 'number' },
  ReorganisationCompleted: { reorganisationId: 'string', stepsDone: 'number', completedAt: 'string' },
};

/**
 * A reorganisation's own events record the decision and the process's progress; the figures come
 * from the unit events its steps write. So they have a codec of their own, which no projection of
 * figures decodes. All are at schema version 1.
 */
export const reorganisationEventCodec = versionOneCodec<ReorganisationEvent>('a reorganisation event', SCHEMAS);
