import { KeyObject } from 'node:crypto';
import { MadeSpare } from './key-store-worker';

/**
 * Where data keys live, apart from the event log: wrapped by the master key, found by the blind
 * index of the person they belong to. Destroying a key is what erases a person: every copy of the
 * person's data in the log becomes unreadable, while the log itself stays as it was written.
 *
 * A key is made before anyone needs it: the codec stores batches of spare keys durably
 * (`addSpares`) and gives one to a person when their first event is encoded (`save`). So the key
 * an event is sealed under is always on disk before the event can be, without a durable write of
 * its own on the path of every command.
 */
export interface DataKeyRecord {
  keyId: string;
  /** Blind index of who the key belongs to (see MasterKey.blindIndex). */
  subject: string;
  wrappedKey: string;
}

/** A key no one holds yet. */
export interface SpareKey {
  keyId: string;
  wrappedKey: string;
}

export interface KeyStore {
  findBySubject(subject: string): Promise<DataKeyRecord | undefined>;
  /** Keeps keys for later, durably, in one write: an event may be sealed under one as soon as this resolves. */
  addSpares(keys: readonly SpareKey[]): Promise<void>;
  /**
   * Present when the store can make spare keys itself, off the thread that serves commands: drawn,
   * wrapped under `wrapping` as LocalMasterKey.wrap wraps, and kept durably before it resolves.
   */
  readonly makeSpares?: (count: number, wrapping: KeyObject) => Promise<MadeSpare[]>;
  /**
   * Gives each record's subject the spare key it names unless the subject has a key already, and
   * records which streams hold data under which subject's key (what an access request lists).
   * Answers every subject's kept key: two racing writers end with one. How durably this is kept is
   * the store's to say (see `recoveryPoint`): the key itself already is.
   */
  save(records: readonly DataKeyRecord[], uses: readonly KeyUse[]): Promise<Map<string, DataKeyRecord>>;
  /**
   * For a store that keeps `save` in memory for a moment (its writes batched): the log position
   * after which the events' assignments and uses may be missing from it after a crash, to be
   * derived again from those events at start. Undefined for a store whose `save` is durable.
   */
  recoveryPoint(): Promise<bigint | undefined>;
  /** The position of an append that went through this process: once kept, nothing before it needs recovery. */
  appended(position: bigint): void;
  /** The wrapped keys of those ids that still exist. */
  wrappedKeys(keyIds: readonly string[]): Promise<Map<string, string>>;
  /**
   * Present when the store counts its destructions, whoever made them (another process sharing the
   * store included): a number that grows in the same write that destroys a key, and never falls.
   * A reader that saw a key exist while the count was n knows it still does while the count is n,
   * without asking for it again (see PersonalDataCodec). Absent, the reader asks every time.
   */
  readonly destructions?: () => number;
  streamsOf(keyId: string): Promise<string[]>;
  /** Deletes the keys and their uses durably; ids already gone are ignored. */
  destroy(keyIds: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

export interface KeyUse {
  subject: string;
  streamId: string;
}

/**
 * What a spare key's subject column holds until someone gets it: unique as subjects must be, and
 * never a blind index (those are hex digests), so no person's look-up can find it.
 */
export function spareSubject(keyId: string): string {
  return `spare:${keyId}`;
}
