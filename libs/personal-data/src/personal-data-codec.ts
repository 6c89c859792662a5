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
   * Keys seen in the key store lately (least recently used first), with their clear form once
   * needed and the values lately sealed or opened under them. One is used only while the store
   * still holds it: asked again unless the store counts its destructions and the count has not
   * changed since the key was seen (see KeyStore.destructions), so a key destroyed by any process
   * is never used again; one destroyed through this process is dropped at once (markDestroyed).
   */
  private readonly known = new Map<string, KnownKey>();
  /** The store's destruction count as last read: undefined until then, or when the store counts none. */
  private lastCount: number | undefined;

  constructor(
    readonly keys: KeyStore,
    private readonly master: MasterKey,
  ) {}

  markDestroyed(keyIds: readonly string[]): void {
    for (const keyId of keyIds) {
      this.destroyed.add(keyId);
      this.known.delete(keyId);
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
    const subjects = new Map<Author, string>();
    for (const event of events) {
      for (const field of personalFieldsOf(event.type)) {
        for (const author of authorsAt(event.data, field)) if (!subjects.has(author)) subjects.set(author, await this.subjectOf(author, initiativeId));
      }
    }
    const distinct = [...new Set(subjects.values())];
    // Read before the keys are seen below (a key seen while the count was n is still there while it is n): the count last read is.
    const count = this.lastCount;
    const bySubject = new Map<string, DataKeyRecord>();
    const given = new Map<string, Spare>();
    for (const subject of distinct) {
      // One point look-up each: measured cheaper than one IN (…) query for the few persons of a command.
      const record = await this.keys.findBySubject(subject);
      if (record) bySubject.set(subject, record);
      else {
        const spare = await this.takeSpare();
        given.set(spare.keyId, spare);
        bySubject.set(subject, { keyId: spare.keyId, subject, wrappedKey: spare.wrappedKey });
      }
    }
    const offered = [...bySubject.values()].filter((record) => given.has(record.keyId));
    const kept = await this.keys.save(offered, [...bySubject.keys()].map((subject) => ({ subject, streamId })));
    const keptIds = new Set([...kept.values()].map((record) => record.keyId));
    // A racing command gave the person a key first: ours goes back for the next person.
    for (const spare of given.values()) if (!keptIds.has(spare.keyId)) this.spares.push(spare);
    const keys = new Map<string, { keyId: string; known: KnownKey; key: Buffer | KeyObject }>();
    for (const [subject, record] of kept) {
      const known = this.remember(record.keyId, record.wrappedKey, count);
      // A key just taken is sealed with as it came (its clear bytes, zeroed below): a KeyObject is made only if a value must be opened again.
      keys.set(subject, { keyId: record.keyId, known, key: given.get(record.keyId)?.key ?? (await this.keyOf(record.keyId, known)) });
    }
    const encoded = events.map((event) => {
      let data = event.data;
      for (const field of personalFieldsOf(event.type)) {
        if (!Array.isArray(valueAt(data, field))) continue;
        data = withValueAt(
          data,
          field,
          authorsAt(event.data, field).map((author): SealedValue => {
            const { keyId, known, key } = keys.get(subjects.get(author)!)!;
            const clear = JSON.stringify(author);
            const sealed = seal(key, Buffer.from(clear, 'utf8'), keyId);
            // The next command on the stream reads it back: its clear form is at hand.
            keepValue(known, sealed, clear);
            return { $personal: keyId, sealed };
          }),
        );
      }
      return data === event.data ? event : { ...event, data };
    });
    for (const spare of given.values()) if (keptIds.has(spare.keyId)) spare.key.fill(0);
    return encoded;
  }

  /** Tells the key store where the log stands after an append through this codec (see KeyStore.appended). */
  appended(position: bigint): void {
    this.keys.appended(position);
  }

  async decode<E extends Pick<StoredEvent, 'type' | 'data'>>(events: readonly E[]): Promise<E[]> {
    for (const event of events) if (event.type === PERSONAL_DATA_ERASED) this.markDestroyed((event.data as unknown as PersonalDataErasedData).keyIds);
    const found: SealedValue[] = [];
    for (const event of events) for (const { value } of sealedValuesOf(event)) if (!this.destroyed.has(value.$personal)) found.push(value);
    if (found.length === 0) return events.map((event) => this.decodeEvent(event, NO_KEYS));
    const live = await this.liveKeys(new Set(found.map((value) => value.$personal)));
    await this.clearKeysFor(found, live);
    return events.map((event) => this.decodeEvent(event, live));
  }

  /** The sealed value's clear value, or undefined when its key is destroyed. */
  async openValue(value: SealedValue): Promise<Author | undefined> {
    if (this.destroyed.has(value.$personal)) return undefined;
    const live = await this.liveKeys([value.$personal]);
    await this.clearKeysFor([value], live);
    const known = live.get(value.$personal);
    return known ? openedValue(known, value) : undefined;
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
        const author = openAuthor(await this.keyOf(value.$personal, this.remember(value.$personal, wrappedKey, undefined)), value);
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

  /**
   * Makes the first batch of spare keys now: a process starts with none (their clear form lives only
   * in the process that made them), and the first people's submissions after a start would otherwise
   * all wait for that batch together.
   */
  async prepare(): Promise<void> {
    if (this.spares.length > 0) return;
    this.refill();
    await this.refilling;
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

  private decodeEvent<E extends Pick<StoredEvent, 'type' | 'data'>>(event: E, live: ReadonlyMap<string, KnownKey>): E {
    let data = event.data;
    for (const field of personalFieldsOf(event.type)) {
      const values = valueAt(data, field);
      if (!Array.isArray(values)) continue;
      data = withValueAt(
        data,
        field,
        values.map((value: unknown) => {
          if (!isSealedValue(value)) return value;
          const known = this.destroyed.has(value.$personal) ? undefined : live.get(value.$personal);
          return known ? openedValue(known, value) : ERASED_PLACEHOLDER;
        }),
      );
    }
    return data === event.data ? event : { ...event, data };
  }

  /**
   * Of these keys, those the key store still holds, as this process knows them. A key seen while
   * the store's destruction count was what it is now is not asked for again: no key was destroyed
   * since, by any process. The others are asked for in one query.
   */
  private async liveKeys(keyIds: Iterable<string>): Promise<Map<string, KnownKey>> {
    const count = this.destructionCount();
    const live = new Map<string, KnownKey>();
    const asked: string[] = [];
    for (const keyId of keyIds) {
      const known = this.known.get(keyId);
      if (known !== undefined && count !== undefined && known.seenAt === count) live.set(keyId, known);
      else asked.push(keyId);
    }
    if (asked.length > 0) {
      const wrapped = await this.keys.wrappedKeys(asked);
      for (const keyId of asked) {
        const wrappedKey = wrapped.get(keyId);
        // Destroyed, by this process or another: its clear form and values go too.
        if (wrappedKey === undefined) this.known.delete(keyId);
        else live.set(keyId, this.remember(keyId, wrappedKey, count));
      }
    }
    return live;
  }

  /** The store's destruction count now, read before what it vouches for is seen (see KeyStore.destructions). */
  private destructionCount(): number | undefined {
    this.lastCount = this.keys.destructions?.();
    return this.lastCount;
  }

  /** Makes the clear keys of those values that must be opened (their clear form not at hand). */
  private async clearKeysFor(values: readonly SealedValue[], live: ReadonlyMap<string, KnownKey>): Promise<void> {
    for (const value of values) {
      const known = live.get(value.$personal);
      if (known !== undefined && known.key === undefined && valueAtHand(known, value.sealed) === undefined) await this.keyOf(value.$personal, known);
    }
  }

  /** The clear key of a key seen in the store: unwrapped once, then remembered with it. */
  private async keyOf(keyId: string, known: KnownKey): Promise<KeyObject> {
    if (known.key) return known.key;
    const clear = await this.master.unwrap(known.wrappedKey, keyId);
    known.key = createSecretKey(clear);
    clear.fill(0);
    return known.key;
  }

  /** Records that the store holds the key (seen while its destruction count was `seenAt`); what was known of it stays if the wrapped form is the same. */
  private remember(keyId: string, wrappedKey: string, seenAt: number | undefined): KnownKey {
    const held = this.known.get(keyId);
    const known = held?.wrappedKey === wrappedKey ? held : { wrappedKey, seenAt };
    known.seenAt = seenAt;
    if (this.destroyed.has(keyId)) return known;
    this.known.delete(keyId);
    this.known.set(keyId, known);
    if (this.known.size > REMEMBERED_KEYS) this.known.delete(this.known.keys().next().value!);
    return known;
  }
}

/** A key the key store held when last seen. */
interface KnownKey {
  wrappedKey: string;
  /** The store's destruction count read before the key was last seen there; undefined: ask the store again. */
  seenAt: number | undefined;
  /** Its clear form, made when a value is to be sealed with it or opened without its clear form at hand. */
  key?: KeyObject;
  /** Values lately sealed or opened under it, at most VALUES_PER_KEY: sealed box, clear JSON, sealed box, … (oldest first). */
  values?: string[];
}

const NO_KEYS: ReadonlyMap<string, KnownKey> = new Map();

/** The clear value of a sealed value whose key is known live: from its clear form at hand, else opened (and kept at hand). */
function openedValue(known: KnownKey, value: SealedValue): Author {
  let clear = valueAtHand(known, value.sealed);
  if (clear === undefined) {
    clear = open(known.key!, value.sealed, value.$personal).toString('utf8');
    keepValue(known, value.sealed, clear);
  }
  // Parsed for each reader: none shares another's object.
  return JSON.parse(clear) as Author;
}

function valueAtHand(known: KnownKey, sealed: string): string | undefined {
  const values = known.values;
  if (values !== undefined) for (let i = 0; i < values.length; i += 2) if (values[i] === sealed) return values[i + 1];
  return undefined;
}

function keepValue(known: KnownKey, sealed: string, clear: string): void {
  const values = (known.values ??= []);
  if (valueAtHand(known, sealed) !== undefined) return;
  if (values.length >= 2 * VALUES_PER_KEY) values.splice(0, 2);
  values.push(sealed, clear);
}

/** A spare key with its clear bytes, as the process that made it holds them (zeroed once made a KeyObject). */
type Spare = SpareKey & { key: Buffer };

/** Spare keys made, wrapped and kept durably at once: a person's first event then waits for none of it. */
const SPARE_BATCH = 1024;
/** Spares left when the next batch is begun: a whole batch, so that a disk slow to take the next one (a busy neighbour) still keeps ahead. */
const SPARE_LOW = SPARE_BATCH;
/** Clear keys remembered (least recently used first out): a rebuild's pages and recent commands hit them. */
const REMEMBERED_KEYS = 10_000;
/** Clear values kept at hand per remembered key (the latest first kept): a command reads back what the last one wrote. */
const VALUES_PER_KEY = 4;
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
