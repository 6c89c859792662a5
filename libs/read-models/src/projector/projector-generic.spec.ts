import { EventStore, SqliteEventStore, StoredEvent } from '@app/event-store';
import { ProgrammeLog } from '../../test/programme-log';
import { checksumOf, SavedProjectionState, StateRefusedError } from '../projection/projection-state';
import { ReadModelWriter } from '../store/read-model-writer.port';
import { Projection, ProjectionSource } from './projection.port';
import { Projector } from './projector';
import { InProcessLease } from './projector-lease.port';

/** Another read model than the programme's: how many events of each type the log holds. */
type Counts = Map<string, number>;

class CountsStore implements ReadModelWriter<Counts> {
  readonly counts: Counts = new Map();
  private position = 0n;
  private state: SavedProjectionState | null = null;
  async write(changes: Counts, position: bigint, state?: SavedProjectionState): Promise<void> {
    for (const [type, count] of changes) this.counts.set(type, count);
    this.position = position;
    if (state) this.state = state;
  }
  async checkpoint(): Promise<bigint> {
    return this.position;
  }
  async savedState(): Promise<SavedProjectionState | null> {
    return this.state;
  }
  async bulkLoading(): Promise<bigint | null> {
    return null;
  }
  async beginBulkLoad(): Promise<void> {}
  async endBulkLoad(): Promise<void> {}
  async close(): Promise<void> {}
  /** A state of another version whose counts are wrong: trusted, it would show. */
  forgeState(version: string): void {
    const body = JSON.stringify([['InitiativeSubmitted', 99]]);
    this.state = { ...this.state!, version, body, checksum: checksumOf(body) };
  }
}

const VERSION = 'counts/1';

class CountsProjection implements Projection<Counts> {
  position = 0n;
  private readonly dirty = new Set<string>();
  constructor(private readonly counts: Counts = new Map()) {}
  async apply(event: StoredEvent): Promise<void> {
    this.position = event.position;
    this.counts.set(event.type, (this.counts.get(event.type) ?? 0) + 1);
    this.dirty.add(event.type);
  }
  hasChanges(): boolean {
    return this.dirty.size > 0;
  }
  async flush(): Promise<Counts> {
    const changes = new Map([...this.dirty].map((type) => [type, this.counts.get(type)!]));
    this.dirty.clear();
    return changes;
  }
  deferred(): Iterable<Counts> {
    return [];
  }
  discardChanges(): void {
    this.dirty.clear();
  }
  saveState(): SavedProjectionState {
    const body = JSON.stringify([...this.counts]);
    return { version: VERSION, position: this.position, checksum: checksumOf(body), body };
  }
}

const countsSource: ProjectionSource<Counts> = {
  eventTypes: ['ProgramLaunched', 'UnitRegistered', 'InitiativeSubmitted'],
  nothing: new Map(),
  fresh: () => new CountsProjection(),
  restore: (saved, checkpoint) => {
    if (saved.version !== VERSION || saved.position > checkpoint) throw new StateRefusedError(`it is of version ${saved.version}`);
    const projection = new CountsProjection(new Map(JSON.parse(saved.body) as [string, number][]));
    projection.position = saved.position;
    return projection;
  },
};

async function appendedLog(events: EventStore, initiatives: number): Promise<ProgrammeLog> {
  const log = new ProgrammeLog('bk').launchBacKan().unit('prov', 'province', null, 100).unit('a', 'grassroots', 'prov', 40);
  for (let i = 0; i < initiatives; i++) log.submit(`i${i}`, 'a', '2022-03-01T03:00:00Z', '1000');
  await log.appendTo(events);
  return log;
}

describe('the projector runs any projection, not only the programme’s', () => {
  it('writes what another read model makes of the log, checkpoint at the head, and a restart counts nothing twice', async () => {
    const events = new SqliteEventStore(':memory:');
    await appendedLog(events, 5);
    const store = new CountsStore();
    const first = new Projector(events, store, new InProcessLease(), countsSource, { batchSize: 3 });
    await first.start();
    expect(Object.fromEntries(store.counts)).toEqual({ ProgramLaunched: 1, UnitRegistered: 2, InitiativeSubmitted: 5 });
    expect(await store.checkpoint()).toBe(await events.headPosition());
    await first.stop();

    const more = new ProgrammeLog('bk').submit('late', 'a', '2022-03-02T03:00:00Z', '1000');
    await more.appendTo(events);
    const second = new Projector(events, store, new InProcessLease(), countsSource);
    await second.start();
    expect(store.counts.get('InitiativeSubmitted')).toBe(6);
    expect(await store.checkpoint()).toBe(await events.headPosition());
    await second.stop();
    await events.close();
  });

  it('a saved state it cannot trust is said out loud and the log replayed from its start, to the same counts', async () => {
    const events = new SqliteEventStore(':memory:');
    await appendedLog(events, 4);
    const store = new CountsStore();
    const first = new Projector(events, store, new InProcessLease(), countsSource);
    await first.start();
    await first.stop();
    store.forgeState('counts/0');
    await new ProgrammeLog('bk').submit('late', 'a', '2022-03-02T03:00:00Z', '1000').appendTo(events);
    const warnings: string[] = [];
    const second = new Projector(events, store, new InProcessLease(), countsSource, { onWarning: (w) => warnings.push(w) });
    await second.start();
    expect(warnings.join('\n')).toMatch(/Saved projection state refused \(it is of version counts\/0\)/);
    expect(Object.fromEntries(store.counts)).toEqual({ ProgramLaunched: 1, UnitRegistered: 2, InitiativeSubmitted: 5 });
    await second.stop();
    await events.close();
  });
});
