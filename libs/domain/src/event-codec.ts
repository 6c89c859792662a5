import { CompiledSchema, compileSchema, EVENT_DATA_SCHEMAS, EventDataSchemas, fieldsNotMatching } from './event-schemas';
import { AnyDomainEvent, DomainEventType, EVENT_SCHEMA_VERSIONS, isDomainEventType } from './events';

/** An event as any event store gives it back: its type, its data as written, and the schema version it was written under. */
export interface RecordedEvent {
  type: string;
  data: Record<string, unknown>;
  /** No metadata, or no version in it: written before versions were recorded, so version 1. */
  metadata?: { schemaVersion?: number };
  streamId?: string;
  position?: bigint;
}

/** Turns the data of `type` written under `fromVersion` into its shape under `fromVersion + 1`. */
export interface Upcaster {
  type: DomainEventType;
  fromVersion: number;
  upcast(data: Readonly<Record<string, unknown>>): Record<string, unknown>;
}

/** A stored event the service cannot read: never cast into a shape it does not have. */
export class EventDecodingError extends Error {
  constructor(
    readonly event: Pick<RecordedEvent, 'type' | 'streamId' | 'position'> & { schemaVersion: number },
    readonly reason: string,
  ) {
    const where = event.streamId !== undefined ? ` in ${event.streamId}` : '';
    const at = event.position !== undefined ? ` at position ${event.position}` : '';
    super(`Stored event ${event.type} v${event.schemaVersion}${where}${at} cannot be decoded: ${reason}`);
    this.name = 'EventDecodingError';
  }
}

/**
 * The one place stored events become domain events: the data written under an older schema
 * version is upcast step by step (v1 → v2 → … → current), then checked field by field against
 * today's schema. Unknown types, versions from the future, missing upcasters and data of the wrong
 * shape are errors, so a reader never folds a half-understood event into its figures.
 * Writing records the current version of each type, which is what decoding later starts from.
 */
export class DomainEventCodec {
  private readonly upcasters = new Map<string, Upcaster>();
  private readonly checks = new Map<string, CompiledSchema>();

  constructor(
    private readonly versions: Readonly<Record<DomainEventType, number>> = EVENT_SCHEMA_VERSIONS,
    upcasters: readonly Upcaster[] = [],
    private readonly schemas: EventDataSchemas = EVENT_DATA_SCHEMAS,
  ) {
    for (const [type, schema] of Object.entries(schemas)) this.checks.set(type, compileSchema(schema));
    for (const upcaster of upcasters) {
      const key = upcasterKey(upcaster.type, upcaster.fromVersion);
      if (this.upcasters.has(key)) throw new Error(`Two upcasters for ${upcaster.type} v${upcaster.fromVersion}`);
      this.upcasters.set(key, upcaster);
    }
  }

  /** A new codec that also knows these upcasters (and, when given, newer versions). */
  with(upcasters: readonly Upcaster[], versions: Partial<Record<DomainEventType, number>> = {}): DomainEventCodec {
    return new DomainEventCodec({ ...this.versions, ...versions }, [...this.upcasters.values(), ...upcasters], this.schemas);
  }

  encode(event: AnyDomainEvent): { type: string; data: Record<string, unknown>; schemaVersion: number } {
    return { type: event.type, data: event.data as unknown as Record<string, unknown>, schemaVersion: this.versions[event.type] };
  }

  decode(recorded: RecordedEvent): AnyDomainEvent {
    const { type, streamId, position } = recorded;
    const written = recorded.metadata?.schemaVersion ?? 1;
    const fail = (reason: string) => new EventDecodingError({ type, streamId, position, schemaVersion: written }, reason);
    if (!isDomainEventType(type)) throw fail('unknown event type');
    const current = this.versions[type];
    if (!Number.isInteger(written) || written < 1 || written > current) throw fail(`this service reads versions 1 to ${current}`);
    let data: Record<string, unknown> = recorded.data;
    for (let version = written; version < current; version++) {
      const upcaster = this.upcasters.get(upcasterKey(type, version));
      if (!upcaster) throw fail(`no upcaster from v${version}`);
      data = upcaster.upcast(data);
    }
    const wrong = fieldsNotMatching(data, this.checks.get(type)!);
    if (wrong.length > 0) throw fail(`fields missing or of the wrong kind: ${wrong.join(', ')}`);
    return { type, data } as AnyDomainEvent;
  }
}

function upcasterKey(type: string, fromVersion: number): string {
  return `${type}@${fromVersion}`;
}

/** Upcasters of every schema change so far: none yet (every event type is at version 1). */
export const DOMAIN_UPCASTERS: readonly Upcaster[] = [];

export const domainEventCodec = new DomainEventCodec(EVENT_SCHEMA_VERSIONS, DOMAIN_UPCASTERS);
