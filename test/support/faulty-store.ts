import { EventStore, StreamAppend } from '@app/event-store';
import { InterferingStore } from './interfering-store';

/**
 * A real event store whose writes to units' streams can also be held (they wait until released: a
 * process caught mid-way) or made to crash: after `n` more of them succeed, every write fails, as
 * if the process had died there and nothing else it tried reached the store. Multi-stream appends
 * are kept when the store has them (SQLite), so that commands write as they would without faults.
 */
export class FaultyStore extends InterferingStore {
  /** How often each stream was read whole (from its first event to its last). */
  readonly wholeReads = new Map<string, number>();
  private unitWritesLeft: number | undefined;
  private held: Promise<void> | undefined;
  readonly appendTogether?: (appends: readonly StreamAppend[]) => ReturnType<NonNullable<EventStore['appendTogether']>>;

  constructor(inner: EventStore) {
    super(inner);
    if (inner.appendTogether) {
      this.appendTogether = async (appends) => {
        await this.before(appends.map((a) => a.streamId));
        return inner.appendTogether!(appends);
      };
    }
  }

  crashAfterUnitWrites(n: number): void {
    this.unitWritesLeft = n;
  }

  /** Holds every write to a unit's stream until the returned function is called. */
  hold(): () => void {
    let release!: () => void;
    this.held = new Promise((resolve) => (release = resolve));
    return () => {
      this.held = undefined;
      release();
    };
  }

  override async readStream(...args: Parameters<EventStore['readStream']>) {
    const [streamId, options = {}] = args;
    if (options.fromRevision === undefined && options.maxCount === undefined && options.direction !== 'backwards') this.wholeReads.set(streamId, (this.wholeReads.get(streamId) ?? 0) + 1);
    return super.readStream(...args);
  }

  override async append(...args: Parameters<EventStore['append']>) {
    await this.before([args[0]]);
    return super.append(...args);
  }

  private async before(streamIds: readonly string[]): Promise<void> {
    const toUnit = streamIds.some((id) => id.startsWith('unit-'));
    if (toUnit && this.held) await this.held;
    if (this.unitWritesLeft === undefined) return;
    if (this.unitWritesLeft <= 0) throw new Error('injected crash: the process died here');
    if (toUnit) this.unitWritesLeft -= 1;
  }
}
