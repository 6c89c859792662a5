import { Author } from '@app/domain';
import { PersonalDataEventStore } from '../personal-data-event-store';
import { sealedValuesOf, valueAt } from '../personal-data-codec';

/** Everything held about a member: what an officer hands over on a request of access. */
export interface AccessListing {
  memberNo: string;
  initiatives: AccessedInitiative[];
}

export interface AccessedInitiative {
  initiativeId: string;
  programId: string;
  unitId: string;
  title: string;
  /** The member as recorded (each distinct form, in log order). */
  heldAs: Author[];
  events: { eventId: string; type: string; position: string; recordedAt: string; field: string }[];
}

/**
 * Lists the member's initiatives from the log itself: the key store says which streams used the
 * member's key, each stream is read to find the events that really hold it (a use recorded for
 * an append that then failed holds nothing and is left out).
 */
export async function accessListing(store: PersonalDataEventStore, memberNo: string): Promise<AccessListing> {
  const { codec } = store;
  const key = await codec.keys.findBySubject(await codec.subjectOf({ name: '', memberNo }, ''));
  const initiatives: AccessedInitiative[] = [];
  for (const stream of key ? await codec.keys.streamsOf(key.keyId) : []) {
    const raw = await store.inner.readStream(stream);
    if (raw.length === 0) continue;
    const decoded = await codec.decode(raw);
    const heldAs: Author[] = [];
    const events: AccessedInitiative['events'] = [];
    raw.forEach((event, i) => {
      for (const occurrence of sealedValuesOf(event)) {
        if (occurrence.value.$personal !== key!.keyId) continue;
        const author = (valueAt(decoded[i]!.data, occurrence.field) as Author[])[occurrence.index]!;
        if (!heldAs.some((held) => JSON.stringify(held) === JSON.stringify(author))) heldAs.push(author);
        events.push({ eventId: event.id, type: event.type, position: event.position.toString(), recordedAt: event.metadata.recordedAt, field: occurrence.field });
      }
    });
    if (events.length === 0) continue;
    const last = decoded[decoded.length - 1]!.data;
    initiatives.push({
      initiativeId: String(last.initiativeId),
      programId: String(last.programId),
      unitId: String(last.unitId),
      title: currentTitle(decoded.map((event) => event.data)),
      heldAs,
      events,
    });
  }
  initiatives.sort((a, b) => a.initiativeId.localeCompare(b.initiativeId));
  return { memberNo, initiatives };
}

function currentTitle(data: readonly Record<string, unknown>[]): string {
  let title = '';
  for (const d of data) title = (d.title as string | undefined) ?? ((d.changes as { title?: string } | undefined)?.title ?? title);
  return title;
}
