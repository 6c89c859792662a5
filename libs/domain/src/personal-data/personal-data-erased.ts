/**
 * Recorded when a person's data keys are destroyed. It holds no personal data: only the opaque ids
 * of the destroyed keys, the initiatives whose documents showed the person (so that read models
 * re-render them), and the legal reference of the request.
 */
export const PERSONAL_DATA_ERASED = 'PersonalDataErased';

/** One stream for every erasure: a restart reads it to finish an erasure interrupted before its keys were gone. */
export const PERSONAL_DATA_ERASURES_STREAM = 'personal-data-erasures';

export interface PersonalDataErasedData {
  erasureId: string;
  /** `member`: every initiative of a member number; `author`: one author of one initiative. */
  scope: 'member' | 'author';
  keyIds: string[];
  initiativeIds: string[];
  documentRef: string;
  reason: string;
  erasedAt: string;
}
