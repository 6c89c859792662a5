import { Author, authorName, PersonalDataErasedData, streams } from '@app/domain';
import { EventStore, StoredEvent } from '@app/event-store';
import { ReadModelProjections } from './read-model-projections';

/**
 * Re-renders the initiatives an erasure touched. The events are read through the personal-data
 * layer, which from the erasure on reads the destroyed keys' values as the placeholder, so the
 * authors folded here are what a rebuild would show. Authors a later event of the stream sets are
 * set again when that event is applied: the end state is the same.
 */
export async function rerenderErasedAuthors(events: EventStore, projection: ReadModelProjections, erasure: StoredEvent): Promise<void> {
  const { initiativeIds } = erasure.data as unknown as PersonalDataErasedData;
  for (const initiativeId of initiativeIds) {
    const authors = currentAuthors(await events.readStream(streams.initiative(initiativeId)));
    if (authors) projection.initiatives.replaceAuthors(initiativeId, authors.map(authorName));
  }
}

function currentAuthors(stream: readonly StoredEvent[]): Author[] | undefined {
  let authors: Author[] | undefined;
  for (const event of stream) {
    if (event.type === 'InitiativeSubmitted') authors = event.data.authors as Author[];
    const changed = event.type === 'InitiativeCorrected' ? (event.data.changes as { authors?: Author[] }).authors : undefined;
    if (changed) authors = changed;
  }
  return authors;
}
