/**
 * Where data keys live, apart from the event log: wrapped by the master key, found by the blind
 * index of the person they belong to. Destroying a key is what erases a person: every copy of the
 * person's data in the log becomes unreadable, while the log itself stays as it was written.
 */
export interface DataKeyRecord {
  keyId: string;
  /** Blind index of who the key belongs to (see MasterKey.blindIndex). */
  subject: string;
  wrappedKey: string;
}

export interface KeyStore {
  findBySubject(subject: string): Promise<DataKeyRecord | undefined>;
  /**
   * In one durable write (it is on the path of every command that names a person): inserts each key
   * unless its subject already has one, and records which streams hold data under which subject's key
   * (what an access request lists). Answers every subject's kept key: two racing writers end with one.
   */
  save(records: readonly DataKeyRecord[], uses: readonly KeyUse[]): Promise<Map<string, DataKeyRecord>>;
  /** The wrapped keys of those ids that still exist. */
  wrappedKeys(keyIds: readonly string[]): Promise<Map<string, string>>;
  streamsOf(keyId: string): Promise<string[]>;
  /** Deletes the keys and their uses durably; ids already gone are ignored. */
  destroy(keyIds: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

export interface KeyUse {
  subject: string;
  streamId: string;
}
