import { DomainEventType } from '../events';

/**
 * Where personal data sits in the events: for each event type, the dotted paths (inside `data`)
 * of lists of persons (see Author). The event store's personal-data layer encrypts exactly these
 * values, one data key per person, and nothing else: a later contact or identity field is
 * declared here and is encrypted from then on.
 */
export const PERSONAL_FIELDS: Partial<Record<DomainEventType, readonly string[]>> = {
  InitiativeSubmitted: ['authors'],
  InitiativeCorrected: ['changes.authors'],
};

/** The stream an initiative's personal data belongs to names its initiative (see `streams.initiative`). */
export function initiativeIdOfStream(streamId: string): string | undefined {
  return streamId.startsWith('initiative-') ? streamId.slice('initiative-'.length) : undefined;
}
