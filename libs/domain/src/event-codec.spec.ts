import { DomainEventCodec, domainEventCodec, EVENT_SCHEMA_VERSIONS, EventDecodingError, RecordedEvent } from '@app/domain';
import { unitRegistered } from '../test/fixtures';
import { asWrittenByV1, codecWithUnitRegisteredV2, unitRegisteredV1 } from '../test/previous-schema';

const withV2 = codecWithUnitRegisteredV2;
const v2Versions = { ...EVENT_SCHEMA_VERSIONS, UnitRegistered: 2 };

const stored = (type: string, data: Record<string, unknown>, schemaVersion?: number): RecordedEvent => ({
  type,
  data,
  metadata: schemaVersion === undefined ? {} : { schemaVersion },
  streamId: 'unit-x',
  position: 7n,
});

const decodingError = (decode: () => unknown): EventDecodingError => {
  try {
    decode();
  } catch (error) {
    expect(error).toBeInstanceOf(EventDecodingError);
    return error as EventDecodingError;
  }
  throw new Error('decoded what it should have refused');
};

describe('decoding stored events', () => {
  const today = unitRegistered('x', 'district', 'prov', 120);

  it('reads today’s events as written, and writes the current version', () => {
    expect(domainEventCodec.decode(stored('UnitRegistered', today.data, 1))).toEqual(today);
    expect(domainEventCodec.encode(today)).toEqual({ type: 'UnitRegistered', data: today.data, schemaVersion: 1 });
    expect(withV2.encode(today).schemaVersion).toBe(2);
  });

  it('upcasts data written under the previous schema to today’s shape', () => {
    expect(withV2.decode(stored('UnitRegistered', asWrittenByV1(today), 1))).toEqual(today);
    expect(withV2.decode(stored('UnitRegistered', today.data, 2))).toEqual(today);
  });

  it('reports an unknown type, a version from the future, a missing upcaster and data of the wrong shape, naming the event', () => {
    expect(decodingError(() => domainEventCodec.decode(stored('UnitRenamed', { unitId: 'x' }, 1))).message).toBe(
      'Stored event UnitRenamed v1 in unit-x at position 7 cannot be decoded: unknown event type',
    );
    expect(decodingError(() => domainEventCodec.decode(stored('UnitRegistered', today.data, 2))).reason).toBe('this service reads versions 1 to 1');
    const noUpcaster = new DomainEventCodec({ ...v2Versions, UnitRegistered: 3 }, [unitRegisteredV1]);
    expect(decodingError(() => noUpcaster.decode(stored('UnitRegistered', { ...today.data }, 1))).reason).toBe('no upcaster from v2');
    const { memberCount: _m, ...withoutCount } = today.data;
    expect(decodingError(() => domainEventCodec.decode(stored('UnitRegistered', { ...withoutCount, parentId: 3 }, 1))).reason).toBe(
      'fields missing or of the wrong kind: parentId (string|null), memberCount (number)',
    );
    expect(() => new DomainEventCodec(v2Versions, [unitRegisteredV1, unitRegisteredV1])).toThrow('Two upcasters for UnitRegistered v1');
  });

  it('takes an event stored without a version for version 1', () => {
    expect(domainEventCodec.decode(stored('UnitRegistered', today.data))).toEqual(today);
    expect(withV2.decode(stored('UnitRegistered', asWrittenByV1(today)))).toEqual(today);
  });
});

