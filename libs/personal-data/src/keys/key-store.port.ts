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
  /** Inserts the key unless the subject already has one; answers the subject's key either way (two racing writers end with one key). */
  insert(record: DataKeyRecord): Promise<DataKeyRecord>;
  /** The wrapped keys of those ids that still exist. */
  wrappedKeys(keyIds: readonly string[]): Promise<Map<string, string>>;
  /** Which streams hold data under which key: what an access request lists. Idempotent. */
  recordUses(uses: readonly KeyUse[]): Promise<void>;
  streamsOf(keyId: string): Promise<string[]>;
  /** Deletes the keys and their uses durably; ids already gone are ignored. */
  destroy(keyIds: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

export interface KeyUse {
  keyId: string;
  streamId: string;
}
