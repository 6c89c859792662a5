import { ProgrammeState } from './programme-state';

/**
 * The bookkeeping of a projection whose documents are each rendered whole from the shared state
 * (see ProgrammeState): it notes which changed, and renders those at the flush, in id order.
 */
export abstract class DocumentsById<Doc> {
  protected readonly dirty = new Set<string>();

  constructor(protected readonly state: ProgrammeState) {}

  abstract document(id: string): Doc | undefined;

  hasChanges(): boolean {
    return this.dirty.size > 0;
  }

  flush(): Doc[] {
    const docs = [...this.dirty].sort().flatMap((id) => this.document(id) ?? []);
    this.dirty.clear();
    return docs;
  }

  discard(): void {
    this.dirty.clear();
  }
}
