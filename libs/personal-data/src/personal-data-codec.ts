import { randomBytes, randomUUID } from 'node:crypto';
import { Author, ERASED_PLACEHOLDER, initiativeIdOfStream, PERSONAL_DATA_ERASED, PERSONAL_FIELDS, PersonalDataErasedData, DomainEventType } from '@app/domain';
import { NewEvent, StoredEvent } from '@app/event-store';
import { DataKeyRecord, KeyStore } from './keys/key-store.port';
import { MasterKey } from './keys/master-key';
import { open, seal } from './keys/sealed-box';

/** How a personal value is stored: the id of its person's data key, and the sealed JSON of the value. */
export interface SealedValue {
  $personal: string;
  sealed: string;
}

export function isSealedValue(value: unknown): value is SealedValue {
  return typeof value === 'object' && value !== null && typeof (value as SealedValue).$personal === 'string' && typeof (value as SealedValue).sealed === 'string';
}

/** A sealed value found in an event, where it sits. */
export interface SealedOccurrence {
  field: string;
  index: number;
  value: SealedValue;
}

/**
 * Encrypts the declared personal fields of events on their way into the log, one data key per
 * person, and decrypts them on the way out. A destroyed key reads as the placeholder. Keys are
 * looked up once per batch of events (a page of a rebuild), never once per event.
 */
export class PersonalDataCodec {
  /** Keys erased by an erasure this process has seen: they read as erased even before the key store has deleted them. */
  private readonly destroyed = new Set<string>();

  constructor(
    readonly keys: KeyStore,
    private readonly master: MasterKey,
  ) {}

  markDestroyed(keyIds: readonly string[]): void {
    for (const keyId of keyIds) this.destroyed.add(keyId);
  }

  /** The blind index a person's key is found by: a member across initiatives, else an author inside one initiative. */
  subjectOf(author: Author, initiativeId: string): Promise<string> {
    return this.master.blindIndex(typeof author === 'string' ? `author\u0000${initiativeId}\u0000${author}` : `member\u0000${author.memberNo}`);
  }

  /** The events with their personal fields sealed; every key they need is made durable in one write first. */
  async encode(streamId: string, events: readonly NewEvent[]): Promise<NewEvent[]> {
    if (!events.some((event) => personalFieldsOf(event.type).length > 0)) return [...events];
    const initiativeId = initiativeIdOfStream(streamId) ?? streamId;
    const bySubject = new Map<string, DataKeyRecord>();
    const created = new Map<string, Buffer>();
    const subjects = new Map<Author, string>();
    for (const event of events) {
      for (const field of personalFieldsOf(event.type)) {
        for (const author of authorsAt(event.data, field)) {
          const subject = await this.subjectOf(author, initiativeId);
          subjects.set(author, subject);
          if (bySubject.has(subject)) continue;
          const found = await this.keys.findBySubject(subject);
          if (found) bySubject.set(subject, found);
          else {
            const keyId = randomUUID();
            const key = randomBytes(32);
            created.set(keyId, key);
            bySubject.set(subject, { keyId, subject, wrappedKey: await this.master.wrap(key, keyId) });
          }
        }
      }
    }
    const fresh = [...bySubject.values()].filter((record) => created.has(record.keyId));
    const kept = await this.keys.save(fresh, [...bySubject.keys()].map((subject) => ({ subject, streamId })));
    const keys = new Map<string, { keyId: string; key: Buffer }>();
    for (const [subject, record] of kept) keys.set(subject, { keyId: record.keyId, key: created.get(record.keyId) ?? (await this.master.unwrap(record.wrappedKey, record.keyId)) });
    return events.map((event) => {
      let data = event.data;
      for (const field of personalFieldsOf(event.type)) {
        if (!Array.isArray(valueAt(data, field))) continue;
        data = withValueAt(
          data,
          field,
          authorsAt(event.data, field).map((author): SealedValue => {
            const { keyId, key } = keys.get(subjects.get(author)!)!;
            return { $personal: keyId, sealed: seal(key, Buffer.from(JSON.stringify(author), 'utf8'), keyId) };
          }),
        );
      }
      return data === event.data ? event : { ...event, data };
    });
  }

  async decode<E extends Pick<StoredEvent, 'type' | 'data'>>(events: readonly E[]): Promise<E[]> {
    for (const event of events) if (event.type === PERSONAL_DATA_ERASED) this.markDestroyed((event.data as unknown as PersonalDataErasedData).keyIds);
    const wanted = new Set<string>();
    for (const event of events) for (const { value } of sealedValuesOf(event)) if (!this.destroyed.has(value.$personal)) wanted.add(value.$personal);
    const keys = wanted.size > 0 ? await this.unwrapAll([...wanted]) : new Map<string, Buffer>();
    return events.map((event) => this.decodeEvent(event, keys));
  }

  /** The sealed value's clear value, or undefined when its key is destroyed. */
  async openValue(value: SealedValue): Promise<Author | undefined> {
    if (this.destroyed.has(value.$personal)) return undefined;
    const key = (await this.unwrapAll([value.$personal])).get(value.$personal);
    return key ? openAuthor(key, value) : undefined;
  }

  private decodeEvent<E extends Pick<StoredEvent, 'type' | 'data'>>(event: E, keys: ReadonlyMap<string, Buffer>): E {
    let data = event.data;
    for (const field of personalFieldsOf(event.type)) {
      const values = valueAt(data, field);
      if (!Array.isArray(values)) continue;
      data = withValueAt(
        data,
        field,
        values.map((value: unknown) => {
          if (!isSealedValue(value)) return value;
          const key = this.destroyed.has(value.$personal) ? undefined : keys.get(value.$personal);
          return key ? openAuthor(key, value) : ERASED_PLACEHOLDER;
        }),
      );
    }
    return data === event.data ? event : { ...event, data };
  }

  private async unwrapAll(keyIds: readonly string[]): Promise<Map<string, Buffer>> {
    const wrapped = await this.keys.wrappedKeys(keyIds);
    const keys = new Map<string, Buffer>();
    for (const [keyId, box] of wrapped) keys.set(keyId, await this.master.unwrap(box, keyId));
    return keys;
  }
}

/** Every sealed value of an event's declared personal fields. */
export function sealedValuesOf(event: Pick<StoredEvent, 'type' | 'data'>): SealedOccurrence[] {
  const found: SealedOccurrence[] = [];
  for (const field of personalFieldsOf(event.type)) {
    const values = valueAt(event.data, field);
    if (Array.isArray(values)) values.forEach((value: unknown, index) => isSealedValue(value) && found.push({ field, index, value }));
  }
  return found;
}

function personalFieldsOf(type: string): readonly string[] {
  return PERSONAL_FIELDS[type as DomainEventType] ?? [];
}

function authorsAt(data: Record<string, unknown>, field: string): Author[] {
  const values = valueAt(data, field);
  return Array.isArray(values) ? (values as Author[]) : [];
}

function openAuthor(key: Buffer, value: SealedValue): Author {
  return JSON.parse(open(key, value.sealed, value.$personal).toString('utf8')) as Author;
}

export function valueAt(data: Record<string, unknown>, path: string): unknown {
  let value: unknown = data;
  for (const part of path.split('.')) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[part] : undefined;
  return value;
}

/** A copy of `data` with the value at `path` replaced (the objects along the path copied, nothing else). */
function withValueAt(data: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const [head, ...rest] = path.split('.');
  if (rest.length === 0) return { ...data, [head!]: value };
  return { ...data, [head!]: withValueAt((data[head!] ?? {}) as Record<string, unknown>, rest.join('.'), value) };
}
