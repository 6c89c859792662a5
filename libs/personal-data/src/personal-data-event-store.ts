import { EventEmitter } from 'node:events';
import {
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  pollingSubscription,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
  SubscribeToAllOptions,
  Subscription,
} from '@app/event-store';
import { PersonalDataCodec } from './personal-data-codec';

/**
 * The event store as the service sees it: personal fields go in encrypted and come out in clear
 * (or as the placeholder once erased). Underneath, the log only ever holds the encrypted form, on
 * either adapter. The subscription reads the log in pages through this layer, so that a rebuild
 * decrypts a page with one key look-up.
 */
export class PersonalDataEventStore implements EventStore {
  private readonly appended = new EventEmitter();

  constructor(
    readonly inner: EventStore,
    readonly codec: PersonalDataCodec,
  ) {
    this.appended.setMaxListeners(0);
  }

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    const encoded = await this.codec.encode(streamId, events);
    const result = await this.inner.append(streamId, encoded, expected);
    this.appended.emit('append');
    return result;
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]> {
    return this.codec.decode(await this.inner.readStream(streamId, options));
  }

  async readAll(options?: ReadAllOptions): Promise<StoredEvent[]> {
    return this.codec.decode(await this.inner.readAll(options));
  }

  subscribeToAll(options: SubscribeToAllOptions): Subscription {
    return pollingSubscription(this, options, (wake) => {
      this.appended.on('append', wake);
      return () => this.appended.off('append', wake);
    });
  }

  headPosition(): Promise<bigint> {
    return this.inner.headPosition();
  }

  async close(): Promise<void> {
    this.appended.removeAllListeners();
    await this.inner.close();
    await this.codec.keys.close();
  }
}

/** The events as the log holds them (personal fields encrypted): what integrity checks read. */
export function storedEvents(store: EventStore): EventStore {
  return store instanceof PersonalDataEventStore ? store.inner : store;
}
