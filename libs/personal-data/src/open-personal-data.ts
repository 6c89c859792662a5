import { MongoClient } from 'mongodb';
import { EventStore } from '@app/event-store';
import { Erasures } from './erasure/erasures';
import { KeyStore } from './keys/key-store.port';
import { loadMasterKey, MasterKey } from './keys/master-key';
import { MongoKeyStore } from './keys/mongo-key-store';
import { SqliteKeyStore } from './keys/sqlite-key-store';
import { PersonalDataCodec } from './personal-data-codec';
import { PersonalDataEventStore } from './personal-data-event-store';
import { PersonalDataConfig } from './personal-data.config';

export type PersonalDataOptions = PersonalDataConfig | { keyStore: KeyStore; masterKey: MasterKey };

/**
 * Puts the personal-data layer over an event store, and before the service reads anything: takes
 * back from the log what a crash kept the key store from writing (who got which key), then
 * finishes any erasure a crash interrupted (which needs to know those keys).
 */
export async function openPersonalData(inner: EventStore, options: PersonalDataOptions): Promise<PersonalDataEventStore> {
  const { keyStore, masterKey } = 'masterKeyFile' in options ? await fromConfig(options) : options;
  const store = new PersonalDataEventStore(inner, new PersonalDataCodec(keyStore, masterKey));
  await store.codec.recover(inner);
  await new Erasures(store).completePendingErasures();
  return store;
}

async function fromConfig(config: PersonalDataConfig): Promise<{ keyStore: KeyStore; masterKey: MasterKey }> {
  const masterKey = loadMasterKey(config.masterKey, config.masterKeyFile);
  if (config.keyStore.kind === 'sqlite') return { keyStore: new SqliteKeyStore(config.keyStore.path), masterKey };
  const client = await MongoClient.connect(config.keyStore.url);
  return { keyStore: new MongoKeyStore(client.db(config.keyStore.db), () => client.close()), masterKey };
}
