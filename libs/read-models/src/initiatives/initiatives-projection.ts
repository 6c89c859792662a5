import { AnyDomainEvent, authorName, contributionOf, DomainEventType, INITIATIVE_EVENT_TYPES, InitiativeEvent, LocalDate } from '@app/domain';
import { InitiativeNode } from '../projection/initiative-node';
import { ProgrammeState, StateChange, union } from '../projection/programme-state';
import { ProjectedEvent, ReadModelProjection } from '../projection/read-model-projection';
import { foldDiacritics } from './fold-diacritics';
import { InitiativeDoc } from './initiative-doc';

const INITIATIVE_EVENTS: ReadonlySet<DomainEventType> = new Set<DomainEventType>([
  ...INITIATIVE_EVENT_TYPES,
  // A unit that moves takes its initiatives along: their paths change.
  'UnitMoved',
  'UnitMerged',
]);

/**
 * What an initiative's document says beyond its node. The projection holds it only for the
 * initiatives the current batch changed; the rest is read back from the stored document.
 */
interface InitiativeDescription {
  title: string;
  authors: string[];
  searchText: string;
  category: string;
  submittedAt: string;
  approvedAt: string | null;
  decisionRef: string | null;
  reason: string | null;
  position: bigint;
}

/** The stored documents of initiatives a flush must re-render without having seen their submission, by id. */
export type PreviousInitiatives = ReadonlyMap<string, InitiativeDoc>;

/**
 * Descriptions of the initiatives rendered last, kept so that a decision soon after a submission
 * (the usual case, live) needs no read of the stored document; bounded, so memory does not grow
 * with the history.
 */
const RECENT_DESCRIPTIONS = 50_000;

/** The initiatives' documents: what each is, where it stands, whether and where it counts, and the text it is found by. */
export class InitiativesProjection implements ReadModelProjection<InitiativeDoc> {
  readonly handles = INITIATIVE_EVENTS;
  private readonly dirty = new Set<string>();
  /** Descriptions of the initiatives changed since the last flush, and the paths they had meanwhile. */
  private readonly described = new Map<string, Partial<InitiativeDescription>>();
  private readonly everAdded = new Map<string, string[]>();
  private readonly recent = new Map<string, InitiativeDescription & { everUnitPath: string[] }>();

  constructor(
    private readonly state: ProgrammeState,
    private readonly recentDescriptions = RECENT_DESCRIPTIONS,
  ) {}

  apply(e: AnyDomainEvent, change: StateChange, event: ProjectedEvent): void {
    if (change.kind === 'unit') {
      if (change.moved) this.unitMoved(change.unitId);
      return;
    }
    if (change.kind !== 'initiative') return;
    const id = change.after.initiativeId;
    this.described.set(id, describe(this.described.get(id) ?? {}, e as InitiativeEvent, event.position));
    if (change.before?.unitId !== change.after.unitId) this.addEver(id, this.state.pathOf(change.after.unitId));
    this.dirty.add(id);
  }

  /** After an erasure: the initiative's authors as they now read (an erased one as the placeholder), search text included. */
  replaceAuthors(initiativeId: string, authors: readonly string[]): void {
    // The search text is folded again at render, from the title the stored document or this batch holds.
    this.described.set(initiativeId, { ...this.described.get(initiativeId), authors: [...authors], searchText: undefined });
    this.dirty.add(initiativeId);
  }

  hasChanges(): boolean {
    return this.dirty.size > 0;
  }

  /** The initiatives the next flush renders without knowing their title and the rest: their stored documents are needed. */
  toLookUp(): string[] {
    // A node let go is rendered from the stored document too: it is clean, so that document is what the node was.
    return [...this.dirty].filter((id) => !this.state.hasNode(id) || (!submittedIn(this.described.get(id)) && !this.recent.has(id)));
  }

  flush(previous: PreviousInitiatives): InitiativeDoc[] {
    const docs = [...this.dirty].sort().flatMap((id) => this.render(id, previous) ?? []);
    this.discard();
    this.forgetPaths();
    this.trimRecent();
    return docs;
  }

  /**
   * Forgets the changes since the last flush, descriptions included; the paths noted stay (see
   * forgetPaths), so that a replay that compares documents page by page renders them over the
   * stored ones' descriptive fields with its own paths.
   */
  discard(): void {
    this.described.clear();
    this.dirty.clear();
  }

  forgetPaths(): void {
    this.everAdded.clear();
  }

  markEverythingDirty(): void {
    for (const ids of this.state.initiativeIdsByUnit()) for (const id of ids) this.dirty.add(id);
  }

  /** An initiative's document rendered over the stored one's descriptive fields (undefined when its node is not in memory). */
  document(initiativeId: string, stored: InitiativeDoc): InitiativeDoc | undefined {
    if (!this.state.hasNode(initiativeId)) return undefined;
    const doc = this.render(initiativeId, new Map([[initiativeId, stored]]));
    this.trimRecent();
    return doc;
  }

  /** For a replay that compares each initiative when it lets it go: the node and the paths noted for it are forgotten. */
  letGo(initiativeId: string): void {
    this.state.letGo(initiativeId);
    this.everAdded.delete(initiativeId);
  }

  /** Initiatives changed since the last flush or discard without their node in memory (a move of their unit re-renders them). */
  changedWithoutNode(): string[] {
    return [...this.dirty].filter((id) => !this.state.hasNode(id));
  }

  private unitMoved(unitId: string): void {
    // From now on they also belong to the histories of their new ancestors.
    for (const id of this.state.subtreeIds(unitId)) {
      const path = this.state.pathOf(id);
      for (const initiativeId of this.state.initiativesIn(id)) {
        this.addEver(initiativeId, path);
        this.dirty.add(initiativeId);
      }
    }
  }

  private addEver(initiativeId: string, path: readonly string[]): void {
    this.everAdded.set(initiativeId, union(this.everAdded.get(initiativeId) ?? [], path));
  }

  /** Oldest first; only between flushes, since a flush relies on what was recent when its look-ups were decided. */
  private trimRecent(): void {
    for (const id of this.recent.keys()) {
      if (this.recent.size <= this.recentDescriptions) return;
      this.recent.delete(id);
    }
  }

  private render(id: string, previous: PreviousInitiatives): InitiativeDoc | undefined {
    const node = this.state.node(id) ?? nodeOfDocument(previous.get(id));
    if (!node) return undefined;
    const pending = this.described.get(id) ?? {};
    const stored = this.recent.get(id) ?? (previous.has(id) ? descriptionOf(previous.get(id)!) : undefined);
    if (!submittedIn(pending) && !stored) throw new Error(`Initiative ${id} changed without its submission in this batch: its stored document is needed`);
    const base: Partial<InitiativeDescription> & { everUnitPath?: string[] } = submittedIn(pending) ? {} : stored!;
    const d = { ...base, ...pending } as InitiativeDescription;
    const searchText = d.searchText ?? searchTextOf(d.title, d.authors);
    const program = this.state.program(node.programId);
    const c = program ? contributionOf(node, program.rules) : null;
    const unitPath = this.state.pathOf(node.unitId);
    const everUnitPath = union(union(base.everUnitPath ?? [], this.everAdded.get(id) ?? []), unitPath).slice().sort();
    this.recent.delete(id);
    this.recent.set(id, { ...d, searchText, everUnitPath });
    return {
      initiativeId: node.initiativeId,
      programId: node.programId,
      unitId: node.unitId,
      unitPath,
      everUnitPath,
      status: node.status,
      title: d.title,
      searchText,
      authors: d.authors,
      category: d.category as InitiativeDoc['category'],
      appliedOn: node.appliedOn,
      submittedAt: d.submittedAt,
      submittedOn: node.submittedOn,
      approvedAt: d.approvedAt,
      approvedOn: node.approvedOn,
      benefitValue: node.benefitValue.toString(),
      recognisedValue: node.recognisedValue === null ? null : node.recognisedValue.toString(),
      decisionRef: d.decisionRef,
      reason: d.reason,
      phaseId: c?.phaseId ?? null,
      counted: c?.counted ?? false,
      eligible: c !== null,
      position: d.position.toString(),
    };
  }
}

function searchTextOf(title: string, authors: readonly string[]): string {
  return foldDiacritics(`${title} ${authors.join(' ')}`);
}

/** What an event changes of an initiative's description (held until the batch is written). */
function describe(d: Partial<InitiativeDescription>, e: InitiativeEvent, position: bigint): Partial<InitiativeDescription> {
  switch (e.type) {
    case 'InitiativeSubmitted': {
      const { title, category, submittedAt } = e.data;
      // The search text is folded at render (a replay that compares documents page by page renders over the stored ones and never folds it).
      return { title, authors: e.data.authors.map(authorName), category, submittedAt, approvedAt: null, decisionRef: null, reason: null, position };
    }
    case 'InitiativeApproved':
      return { ...d, approvedAt: e.data.approvedAt, decisionRef: e.data.decisionRef, position };
    case 'InitiativeRejected':
    case 'InitiativeWithdrawn':
    case 'InitiativeApprovalRevoked':
      return { ...d, reason: e.data.reason, position };
    case 'InitiativeCorrected': {
      const { title, category } = e.data.changes;
      const authors = e.data.changes.authors?.map(authorName);
      // A new title or new authors: the search text is folded again at render, from the whole description.
      const refold = title !== undefined || authors !== undefined ? { searchText: undefined } : {};
      return { ...d, ...(title !== undefined ? { title } : {}), ...(authors !== undefined ? { authors } : {}), ...(category !== undefined ? { category } : {}), ...refold, position };
    }
    case 'InitiativeMoved':
      return { ...d, position };
  }
}

/** Whether the batch saw the initiative's submission, hence knows its whole description. */
function submittedIn(d: Partial<InitiativeDescription> | undefined): boolean {
  return d !== undefined && 'submittedAt' in d;
}

function descriptionOf(doc: InitiativeDoc): InitiativeDescription & { everUnitPath: string[] } {
  const { title, authors, searchText, category, submittedAt, approvedAt, decisionRef, reason, everUnitPath } = doc;
  return { title, authors, searchText, category, submittedAt, approvedAt, decisionRef, reason, position: BigInt(doc.position), everUnitPath };
}

function nodeOfDocument(doc: InitiativeDoc | undefined): InitiativeNode | undefined {
  if (!doc) return undefined;
  const { initiativeId, programId, unitId, status, appliedOn, submittedOn, approvedOn, benefitValue, recognisedValue } = doc;
  return {
    initiativeId,
    programId,
    unitId,
    status,
    // The document holds the dates the node held, as written.
    appliedOn: appliedOn as LocalDate,
    submittedOn: submittedOn as LocalDate,
    approvedOn: approvedOn as LocalDate | null,
    benefitValue: BigInt(benefitValue),
    recognisedValue: recognisedValue === null ? null : BigInt(recognisedValue),
  };
}
