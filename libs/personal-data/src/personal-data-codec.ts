import { createSecretKey, KeyObject, randomBytes, randomUUID } from 'node:crypto';
import { Author, ERASED_PLACEHOLDER, initiativeIdOfStream, PERSONAL_DATA_ERASED, PERSONAL_FIELDS, PersonalDataErasedData, DomainEventType } from '@app/domain';
import { EventStore, NewEvent, StoredEvent } from '@app/event-store';
import { DataKeyRecord, KeyStore, KeyUse, SpareKey } from './keys/key-store.port';
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
 *
 * A person's first event takes a spare key made earlier (see KeyStore): making and wrapping keys,
 * and the durable write that keeps them, happen once per batch of `SPARE_BATCH` keys.
 */
export class PersonalDataCodec {
  /** Keys erased by an erasure this process has seen: they read as erased even before the key store has deleted them. */
  private readonly destroyed = new Set<string>();
  /** Spare keys kept durably and not handed out yet, with their clear form (this process made them). */
  private readonly spares: Spare[] = [];
  private refilling: Promise<void> | undefined;
  /**
   * Clear keys by id, with the wrapped form they came from. Used only when the key store still
   * answers that same wrapped key: a destroyed key is gone from the store, so its clear copy here
   * is never used again (and is dropped when the erasure is seen).
   */
  private readonly unwrapped = new Map<string, { wrappedKey: string; key: KeyObject }>();

  constructor(
    readonly keys: KeyStore,
    private readonly master: MasterKey,
  ) {}

  markDestroyed(keyIds: readonly string[]): void {
    for (const keyId of keyIds) {
      this.destroyed.add(keyId);
      this.unwrapped.delete(keyId);
    }
  }

  /** The blind index a person's key is found by: a member across initiatives, else an author inside one initiative. */
  subjectOf(author: Author, initiativeId: string): Promise<string> {
    return this.master.blindIndex(typeof author === 'string' ? `author\u0000${initiativeId}\u0000${author}` : `member\u0000${author.memberNo}`);
  }

  /** The events with their personal fields sealed, each under a key already durable in the key store. */
  async encode(streamId: string, events: readonly NewEvent[]): Promise<NewEvent[]> {
    if (!events.some((event) => personalFieldsOf(event.type).length > 0)) return [...events];
    const initiativeId = initiativeIdOfStream(streamId) ?? streamId;
    const bySubject = new Map<string, DataKeyRecord>();
    const given = new Map<string, Spare>();
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
            const spare = await this.takeSpare();
            given.set(spare.keyId, spare);
            bySubject.set(subject, { keyId: spare.keyId, subject, wrappedKey: spare.wrappedKey });
          }
        }
      }
    }
    const offered = [...bySubject.values()].filter((record) => given.has(record.keyId));
    const kept = await this.keys.save(offered, [...bySubject.keys()].map((subject) => ({ subject, streamId })));
    const keptIds = new Set([...kept.values()].map((record) => record.keyId));
    for (const spare of given.values()) {
      // A racing command gave the person a key first: ours goes back for the next person.
      if (!keptIds.has(spare.keyId)) this.spares.push(spare);
      else {
        this.remember(spare.keyId, spare.wrappedKey, createSecretKey(spare.key));
        spare.key.fill(0);
      }
    }
    const keys = new Map<string, { keyId: string; key: KeyObject }>();
    for (const [subject, record] of kept) keys.set(subject, { keyId: record.keyId, key: await this.clearKey(record.keyId, record.wrappedKey) });
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

  /** Tells the key store where the log stands after an append through this codec (see KeyStore.appended). */
  appended(position: bigint): void {
    this.keys.appended(position);
  }

  async decode<E extends Pick<StoredEvent, 'type' | 'data'>>(events: readonly E[]): Promise<E[]> {
    for (const event of events) if (event.type === PERSONAL_DATA_ERASED) this.markDestroyed((event.data as unknown as PersonalDataErasedData).keyIds);
    const wanted = new Set<string>();
    for (const event of events) for (const { value } of sealedValuesOf(event)) if (!this.destroyed.has(value.$personal)) wanted.add(value.$personal);
    const keys = wanted.size > 0 ? await this.unwrapAll([...wanted]) : new Map<string, KeyObject>();
    return events.map((event) => this.decodeEvent(event, keys));
  }

  /** The sealed value's clear value, or undefined when its key is destroyed. */
  async openValue(value: SealedValue): Promise<Author | undefined> {
    if (this.destroyed.has(value.$personal)) return undefined;
    const key = (await this.unwrapAll([value.$personal])).get(value.$personal);
    return key ? openAuthor(key, value) : undefined;
  }

  /**
   * Derives again, from the events after the key store's recovery point, who got which key and
   * which streams use it, for a store that had not written it when the process stopped: each sealed
   * value names its key (kept durably before the event was written) and opens to whom it belongs.
   * Run at start, before any command; repeating it changes nothing.
   */
  async recover(log: EventStore): Promise<number> {
    let after = await this.keys.recoveryPoint();
    if (after === undefined) return 0;
    let recovered = 0;
    for (;;) {
      const page = await log.readAll({ after, maxCount: RECOVERY_PAGE });
      const found = page.flatMap((event) => sealedValuesOf(event).map(({ value }) => ({ streamId: event.streamId, value })));
      const wrapped = await this.keys.wrappedKeys([...new Set(found.map(({ value }) => value.$personal).filter((keyId) => !this.destroyed.has(keyId)))]);
      const records = new Map<string, DataKeyRecord>();
      const uses: KeyUse[] = [];
      for (const { streamId, value } of found) {
        const wrappedKey = wrapped.get(value.$personal);
        if (wrappedKey === undefined) continue;
        const author = openAuthor(await this.clearKey(value.$personal, wrappedKey), value);
        const subject = await this.subjectOf(author, initiativeIdOfStream(streamId) ?? streamId);
        records.set(subject, { keyId: value.$personal, subject, wrappedKey });
        uses.push({ subject, streamId });
      }
      if (records.size > 0) await this.keys.save([...records.values()], uses);
      recovered += uses.length;
      if (page.length < RECOVERY_PAGE) return recovered;
      after = page[page.length - 1]!.position;
    }
  }

  private async takeSpare(): Promise<Spare> {
    for (;;) {
      // The next batch is made before this one runs out: where the store makes it off this thread, no command waits for it.
      if (this.spares.length <= SPARE_LOW) this.refill();
      const spare = this.spares.pop();
      if (spare) return spare;
      await this.refilling;
    }
  }

  /** Starts making a batch unless one is on its way; commands that run out together wait for that one. */
  private refill(): void {
    if (this.refilling) return;
    this.refilling = this.makeSpares()
      .then((batch) => void this.spares.push(...batch))
      .finally(() => (this.refilling = undefined));
    // A batch begun ahead of need and failed is begun again by the next take; one a command waits for fails that command.
    this.refilling.catch(() => undefined);
  }

  private async makeSpares(): Promise<Spare[]> {
    const wrapping = this.master.localWrappingKey;
    if (wrapping && this.keys.makeSpares) return this.keys.makeSpares(SPARE_BATCH, wrapping);
    const material = randomBytes(32 * SPARE_BATCH);
    const batch: Spare[] = [];
    for (let i = 0; i < SPARE_BATCH; i++) {
      const keyId = randomUUID();
      const key = Buffer.from(material.subarray(i * 32, (i + 1) * 32));
      batch.push({ keyId, key, wrappedKey: await this.master.wrap(key, keyId) });
    }
    material.fill(0);
    await this.keys.addSpares(batch.map(({ keyId, wrappedKey }) => ({ keyId, wrappedKey })));
    return batch;
  }

  private decodeEvent<E extends Pick<StoredEvent, 'type' | 'data'>>(event: E, keys: ReadonlyMap<string, KeyObject>): E {
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

  private async unwrapAll(keyIds: readonly string[]): Promise<Map<string, KeyObject>> {
    const wrapped = await this.keys.wrappedKeys(keyIds);
    const keys = new Map<string, KeyObject>();
    for (const [keyId, box] of wrapped) keys.set(keyId, await this.clearKey(keyId, box));
    return keys;
  }

  /** The clear key of a wrapped key the store holds: unwrapped once, then remembered. */
  private async clearKey(keyId: string, wrappedKey: string): Promise<KeyObject> {
    const known = this.unwrapped.get(keyId);
    if (known?.wrappedKey === wrappedKey) return known.key;
    const clear = await this.master.unwrap(wrappedKey, keyId);
    const key = createSecretKey(clear);
    clear.fill(0);
    this.remember(keyId, wrappedKey, key);
    return key;
  }

  private remember(keyId: string, wrappedKey: string, key: KeyObject): void {
    if (this.destroyed.has(keyId)) return;
    this.unwrapped.delete(keyId);
    this.unwrapped.set(keyId, { wrappedKey, key });
    if (this.unwrapped.size > REMEMBERED_KEYS) this.unwrapped.delete(this.unwrapped.keys().next().value!);
  }
}

/** A spare key with its clear bytes, as the process that made it holds them (zeroed once made a KeyObject). */
type Spare = SpareKey & { key: Buffer };

/** Spare keys made, wrapped and kept durably at once: a person's first event then waits for none of it. */
const SPARE_BATCH = 1024;
/** Spares left when the next batch is begun: a whole batch, so that a disk slow to take the next one (a busy neighbour) still keeps ahead. */
const SPARE_LOW = SPARE_BATCH;
/** Clear keys remembered (least recently used first out): a rebuild's pages and recent commands hit them. */
const REMEMBERED_KEYS = 10_000;
const RECOVERY_PAGE = 1000;

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

function openAuthor(key: KeyObject, value: SealedValue): Author {
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
