import { DataKeyRecord, KeyStore, KeyUse, SpareKey } from '@app/personal-data';

/** A key store whose process "dies" when asked to destroy a key: the destruction never happens. */
export class CrashingKeyStore implements KeyStore {
  constructor(private readonly inner: KeyStore) {}
  findBySubject(subject: string): Promise<DataKeyRecord | undefined> {
    return this.inner.findBySubject(subject);
  }
  addSpares(keys: readonly SpareKey[]): Promise<void> {
    return this.inner.addSpares(keys);
  }
  recoveryPoint(): Promise<bigint | undefined> {
    return this.inner.recoveryPoint();
  }
  appended(position: bigint): void {
    this.inner.appended(position);
  }
  save(records: readonly DataKeyRecord[], uses: readonly KeyUse[]): Promise<Map<string, DataKeyRecord>> {
    return this.inner.save(records, uses);
  }
  wrappedKeys(keyIds: readonly string[]): Promise<Map<string, string>> {
    return this.inner.wrappedKeys(keyIds);
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
