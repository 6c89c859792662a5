import { DataKeyRecord, KeyStore, KeyUse } from '@app/personal-data';

/** A key store whose process "dies" when asked to destroy a key: the destruction never happens. */
export class CrashingKeyStore implements KeyStore {
  constructor(private readonly inner: KeyStore) {}
  findBySubject(subject: string): Promise<DataKeyRecord | undefined> {
    return this.inner.findBySubject(subject);
  }
  insert(record: DataKeyRecord): Promise<DataKeyRecord> {
    return this.inner.insert(record);
  }
  wrappedKeys(keyIds: readonly string[]): Promise<Map<string, string>> {
    return this.inner.wrappedKeys(keyIds);
  }
  recordUses(uses: readonly KeyUse[]): Promise<void> {
    return this.inner.recordUses(uses);
  }
  streamsOf(keyId: string): Promise<string[]> {
    return this.inner.streamsOf(keyId);
  }
  async destroy(): Promise<void> {
    throw new Error('crash injected before the keys were destroyed');
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}
