import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { domainEventCodec, EventDecodingError, unitDecider } from '@app/domain';
import { AggregateStore, CommandContext, SqliteEventStore } from '@app/event-store';
import { unitRegistered } from '../../libs/domain/test/fixtures';
import { asWrittenByV1, codecWithUnitRegisteredV2 } from '../../libs/domain/test/previous-schema';

const context: CommandContext = { actor: 'test', now: '2022-03-01T03:00:00Z', commandId: 'c1', correlationId: 'c1' };
const meta = (schemaVersion: number) => ({ actor: 'earlier-release', recordedAt: '2021-12-01T03:00:00Z', correlationId: 'old', schemaVersion });

describe('a log written by the previous schema, replayed by today’s service', () => {
  let store: SqliteEventStore;
  beforeEach(async () => {
    store = new SqliteEventStore(join(mkdtempSync(join(tmpdir(), 'previous-schema-')), 'events.db'));
    const registered = unitRegistered('school', 'grassroots', 'district', 120);
    await store.append('unit-school', [{ id: '00000000-0000-4000-8000-000000000001', type: 'UnitRegistered', data: asWrittenByV1(registered), metadata: meta(1) }], 'no_stream');
    await store.append(
      'unit-school',
      [{ id: '00000000-0000-4000-8000-000000000002', type: 'MemberCountRecorded', data: { unitId: 'school', memberCount: 130, effectiveOn: '2022-02-01' }, metadata: meta(1) }],
      0n,
    );
  });
  afterEach(() => store.close());

  it('upcasts it into today’s state, decides on it, and writes today’s version', async () => {
    const aggregates = new AggregateStore(store, codecWithUnitRegisteredV2);
    const { state } = await aggregates.load(unitDecider, 'unit-school');
    expect(state).toMatchObject({ status: 'active', parentId: 'district', memberCounts: [{ count: 120 }, { count: 130, effectiveOn: '2022-02-01' }] });
    await aggregates.handle(unitDecider, 'unit-school', { type: 'CloseUnit', effectiveOn: '2022-03-01' as never, documentRef: null, reason: 'dissolved', activeChildIds: [] }, context);
    const written = await store.readStream('unit-school');
    expect(written.map((e) => [e.type, e.metadata.schemaVersion])).toEqual([
      ['UnitRegistered', 1],
      ['MemberCountRecorded', 1],
      ['UnitClosed', 1],
    ]);
    expect((await aggregates.load(unitDecider, 'unit-school')).state.status).toBe('closed');
  });

  it('is refused loudly, and nothing is written, by a service that lacks the upcaster', async () => {
    const aggregates = new AggregateStore(store, domainEventCodec);
    const refused = aggregates.handle(unitDecider, 'unit-school', { type: 'CloseUnit', effectiveOn: '2022-03-01' as never, documentRef: null, reason: null, activeChildIds: [] }, context);
    await expect(refused).rejects.toThrow(EventDecodingError);
    await expect(refused).rejects.toThrow('Stored event UnitRegistered v1 in unit-school at position 1 cannot be decoded: fields missing or of the wrong kind: parentId (string|null), memberCount (number)');
    expect(await store.readStream('unit-school')).toHaveLength(2);
  });
});
