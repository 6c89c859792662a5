import { EventStore } from '@app/event-store';

/**
 * A real event store with one way to break things on purpose: `interfereAfterRead(stream, act)`
 * runs `act` (another writer) right after the next read of that stream, so the command that read
 * it then appends on a stale revision — the lost race that optimistic concurrency must catch.
 */
export class InterferingStore implements EventStore {
  private readonly interferences = new Map<string, () => Promise<void>>();

  constructor(protected readonly inner: EventStore) {}

  interfereAfterRead(streamId: string, act: () => Promise<void>): void {
    this.interferences.set(streamId, act);
  }

  async readStream(...args: Parameters<EventStore['readStream']>) {
    const events = await this.inner.readStream(...args);
    const act = this.interferences.get(args[0]);
    if (act) {
      this.interferences.delete(args[0]);
      await act();
    }
    return events;
  }

  append(...args: Parameters<EventStore['append']>) {
    return this.inner.append(...args);
  }
  readAll(...args: Parameters<EventStore['readAll']>) {
    return this.inner.readAll(...args);
  }
  subscribeToAll(...args: Parameters<EventStore['subscribeToAll']>) {
    return this.inner.subscribeToAll(...args);
  }
  headPosition() {
    return this.inner.headPosition();
  }
  close() {
    return this.inner.close();
  }
}
