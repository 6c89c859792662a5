import {
  initiativeIdOfStream,
  PERSONAL_DATA_ERASED,
  PERSONAL_DATA_ERASURES_STREAM,
  PersonalDataErasedData,
} from '@app/domain';
import { deterministicUuid, EventMetadata } from '@app/event-store';
import { PersonalDataEventStore } from '../personal-data-event-store';

/** Who is to be forgotten: a member (every initiative), or one author of one initiative known by name only. */
export type ErasureTarget = { memberNo: string } | { initiativeId: string; author: string };

export interface ErasureRequest {
  target: ErasureTarget;
  documentRef: string;
  reason: string;
  metadata: EventMetadata;
}

export interface ErasureResult {
  erasureId: string;
  position: bigint;
  initiativeIds: string[];
}

/**
 * Erasure is crypto-shredding: record that the person's key is to be destroyed, then destroy it.
 * The event comes first so that a crash in between is finished at the next start (see
 * `completePendingErasures`); the event's id comes from the key, so repeating an erasure that
 * had not finished appends nothing new.
 */
export class Erasures {
  constructor(private readonly store: PersonalDataEventStore) {}

  /** Undefined when nothing is held about the person (never recorded, or already erased). */
  async erase(request: ErasureRequest): Promise<ErasureResult | undefined> {
    const { codec } = this.store;
    const { target } = request;
    const subject = await codec.subjectOf('memberNo' in target ? { name: '', memberNo: target.memberNo } : target.author, 'memberNo' in target ? '' : target.initiativeId);
    const key = await codec.keys.findBySubject(subject);
    if (!key) return undefined;
    const initiativeIds = (await codec.keys.streamsOf(key.keyId)).flatMap((stream) => initiativeIdOfStream(stream) ?? []);
    const erasureId = deterministicUuid('erasure', key.keyId);
    const data: PersonalDataErasedData = {
      erasureId,
      scope: 'memberNo' in target ? 'member' : 'author',
      keyIds: [key.keyId],
      initiativeIds,
      documentRef: request.documentRef,
      reason: request.reason,
      erasedAt: request.metadata.recordedAt,
    };
    codec.markDestroyed(data.keyIds);
    const { position } = await this.store.append(
      PERSONAL_DATA_ERASURES_STREAM,
      [{ id: erasureId, type: PERSONAL_DATA_ERASED, data: data as unknown as Record<string, unknown>, metadata: request.metadata }],
      'any',
    );
    await codec.keys.destroy(data.keyIds);
    return { erasureId, position, initiativeIds };
  }

  /** Destroys the keys of every recorded erasure that a crash left undone. */
  async completePendingErasures(): Promise<number> {
    const erasures = await this.store.readStream(PERSONAL_DATA_ERASURES_STREAM);
    const keyIds = erasures.flatMap((event) => (event.data as unknown as PersonalDataErasedData).keyIds);
    const left = [...(await this.store.codec.keys.wrappedKeys(keyIds)).keys()];
    if (left.length > 0) await this.store.codec.keys.destroy(left);
    return left.length;
  }
}
