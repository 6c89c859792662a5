import { randomUUID } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { EventStore, StoredEvent } from '../event-store.port';
import { eventHash, GENESIS_HASH } from './event-hash';
import { LOG_SEALED, merkleRoot, MerkleRootBuilder, Seal, SEAL_STREAM, SealSigner, StreamHead } from './seal';
import { SealHeads } from './seal-heads';

/**
 * Events per page of a walk over the log (the integrity check, a seal) and heads per turn of a
 * seal's root: each a few tens of milliseconds, so that the service these run in answers between.
 */
const LOG_PAGE = 500;
const HEADS_PER_TURN = 2_000;

/**
 * - content: the event is not what its hash committed to (edited data or metadata, or another event in its place);
 * - missing: revisions jump (an event was deleted);
 * - order: a revision comes again or backwards (events moved);
 * - seal: a seal whose signature does not verify, or whose stream heads are no longer those of the log;
 *   `missing` too when the log now ends before a seal's position (its tail was cut).
 */
export type BrokenLinkKind = 'content' | 'missing' | 'order' | 'seal';

export interface BrokenLink {
  stream: string;
  revision: string;
  position: string;
  kind: BrokenLinkKind;
  detail: string;
}

export interface IntegrityReport {
  intact: boolean;
  streams: number;
  events: number;
  /** Events written before chains existed: they carry no hash, and prove nothing until a seal covers them. */
  unchainedEvents: number;
  /**
   * Of those, the ones a seal that still holds covers: its root commits to their hashes recomputed
   * in order, so an edit of any of them since is caught against it (see the README's one-time seal).
   */
  unchainedSealed: number;
  /** The broken link earliest in the log, null when every chain holds. */
  firstBroken: BrokenLink | null;
  /** Seals checked: those in the log and any exported one given. */
  sealsChecked: number;
  /** The last seal whose signature and stream heads still hold. */
  lastSealHeld: Pick<Seal, 'upToPosition' | 'sealedAt' | 'root'> | null;
}

/** Follows each stream's chain event by event, as stored. */
class ChainWalker {
  private readonly heads = new Map<string, { previous: string; nextRevision: bigint; previousUnchained: boolean }>();
  events = 0;
  unchained = 0;
  unchainedSealed = 0;
  lastPosition = 0n;
  sealsChecked = 0;
  lastSealHeld: IntegrityReport['lastSealHeld'] = null;
  firstBroken: BrokenLink | null = null;

  get streams(): number {
    return this.heads.size;
  }

  visit(event: StoredEvent): void {
    this.events += 1;
    if (event.position > this.lastPosition) this.lastPosition = event.position;
    const head = this.heads.get(event.streamId) ?? { previous: GENESIS_HASH, nextRevision: 0n, previousUnchained: false };
    this.heads.set(event.streamId, head);
    const computed = eventHash(head.previous, event);
    if (event.revision !== head.nextRevision) {
      const kind = event.revision > head.nextRevision ? 'missing' : 'order';
      this.broken(event, kind, kind === 'missing' ? `revision ${head.nextRevision} is missing: the next event found is ${event.revision}` : `revision ${event.revision} comes after ${head.nextRevision - 1n}`);
    } else if (event.metadata.hash === undefined) this.unchained += 1;
    else if (event.metadata.hash !== computed) {
      const before = head.previousUnchained ? ' (it chains from events written before chains existed: the change may be in one of them)' : '';
      this.broken(event, 'content', `stored hash ${event.metadata.hash}, the event as stored hashes to ${computed}${before}`);
    }
    head.previous = event.metadata.hash ?? computed;
    head.nextRevision = event.revision + 1n;
    head.previousUnchained = event.metadata.hash === undefined;
  }

  /** Every stream's last revision and hash, as walked so far. */
  currentHeads(): StreamHead[] {
    return [...this.heads].map(([stream, head]) => ({ stream, revision: head.nextRevision - 1n, hash: head.previous }));
  }

  /** Called once every event up to the seal's position has been visited. */
  checkSeal(seal: Seal, signer: SealSigner): void {
    this.sealsChecked += 1;
    const at = { streamId: SEAL_STREAM, revision: -1n, position: BigInt(seal.upToPosition) };
    if (!signer.verifies(seal)) return this.broken(at, 'seal', `the seal of position ${seal.upToPosition} (${seal.sealedAt}) is not signed by this service's key`);
    if (this.lastPosition < at.position) return this.broken(at, 'missing', `the log ends at position ${this.lastPosition}, before position ${seal.upToPosition} sealed at ${seal.sealedAt}: its tail is gone`);
    const heads = this.currentHeads();
    const root = merkleRoot(heads);
    if (root !== seal.root || heads.length !== seal.streams) {
      return this.broken(at, 'seal', `the ${heads.length} stream heads up to position ${seal.upToPosition} hash to ${root}; the seal of ${seal.sealedAt} says ${seal.streams} heads, ${seal.root}`);
    }
    if (this.firstBroken === null) {
      this.lastSealHeld = { upToPosition: seal.upToPosition, sealedAt: seal.sealedAt, root: seal.root };
      // Every event up to the seal has been walked: the unchained ones among them are all it covers.
      this.unchainedSealed = this.unchained;
    }
  }

  report(): IntegrityReport {
    return {
      intact: this.firstBroken === null,
      streams: this.streams,
      events: this.events,
      unchainedEvents: this.unchained,
      unchainedSealed: this.unchainedSealed,
      firstBroken: this.firstBroken,
      sealsChecked: this.sealsChecked,
      lastSealHeld: this.lastSealHeld,
    };
  }

  private broken(event: Pick<StoredEvent, 'streamId' | 'revision' | 'position'>, kind: BrokenLinkKind, detail: string): void {
    if (this.firstBroken && BigInt(this.firstBroken.position) <= event.position) return;
    this.firstBroken = { stream: event.streamId, revision: event.revision.toString(), position: event.position.toString(), kind, detail };
  }
}

/** Checks the chains of the given streams (a unit's, say), reading each whole. */
export async function verifyStreams(store: EventStore, streamIds: readonly string[]): Promise<IntegrityReport> {
  const walker = new ChainWalker();
  for (const streamId of streamIds) for (const event of await store.readStream(streamId)) walker.visit(event);
  return walker.report();
}

export interface VerifyLogOptions {
  onProgress?: (events: number) => void;
  /** Checks the seals in the log, and `exported` ones, with this key. */
  signer?: SealSigner;
  /** Seals kept outside the service: a log rewritten or cut since is caught by them. */
  exported?: readonly Seal[];
  pageSize?: number;
}

/** Checks every chain, and every seal, in one pass over the whole log, at the log's read rate. */
export async function verifyLog(store: EventStore, options: VerifyLogOptions = {}): Promise<IntegrityReport> {
  const { signer, pageSize = LOG_PAGE } = options;
  const walker = new ChainWalker();
  const seals = signer ? [...(await store.readStream(SEAL_STREAM)).map((event) => event.data as unknown as Seal), ...(options.exported ?? [])] : [];
  seals.sort((a, b) => (BigInt(a.upToPosition) < BigInt(b.upToPosition) ? -1 : 1));
  let after = 0n;
  for (;;) {
    const page = await store.readAll({ after, maxCount: pageSize });
    for (const event of page) {
      while (seals.length > 0 && event.position > BigInt(seals[0]!.upToPosition)) walker.checkSeal(seals.shift()!, signer!);
      walker.visit(event);
    }
    options.onProgress?.(walker.events);
    if (page.length < pageSize) break;
    after = page[page.length - 1]!.position;
    // Between pages the service answers: it runs this beside its requests, and a synchronous store's read never yields.
    await nextTurn();
  }
  for (const seal of seals) walker.checkSeal(seal, signer!);
  return walker.report();
}

/**
 * Seals the whole log as it stands: every stream head, signed, appended to the seal stream. With
 * `heads` (the heads as of the last seal, see SealHeads) only the events since are read; without,
 * or when they are not this log's, the whole log is walked, its heads kept in SQLite's pages, not
 * in the heap (a national log has a million streams).
 */
export async function sealLog(
  store: EventStore,
  signer: SealSigner,
  now: string,
  metadata: Omit<StoredEvent['metadata'], 'recordedAt'>,
  heads?: SealHeads,
): Promise<{ seal: Seal; position: bigint }> {
  const kept = heads ?? new SealHeads(':memory:');
  try {
    const sealed = await kept.exclusive(() => headsSince(store, kept));
    const seal = signer.sign({ upToPosition: sealed.upToPosition.toString(), streams: sealed.streams, root: sealed.root, sealedAt: now });
    const { position } = await store.append(SEAL_STREAM, [{ id: randomUUID(), type: LOG_SEALED, data: seal as unknown as Record<string, unknown>, metadata: { ...metadata, recordedAt: now } }], 'any');
    return { seal, position };
  } finally {
    if (!heads) kept.close();
  }
}

interface SealedHeads {
  upToPosition: bigint;
  streams: number;
  root: string;
}

/** The heads brought up to the log's head from their mark; from the start when they are not this log's. */
async function headsSince(store: EventStore, heads: SealHeads): Promise<SealedHeads> {
  const mark = heads.mark();
  const [atMark] = mark ? await store.readAll({ after: mark.position - 1n, maxCount: 1 }) : [];
  const sameLog = mark !== null && atMark?.position === mark.position && atMark.id === mark.eventId;
  if (!sameLog || !(await takeEventsAfter(store, heads, mark.position, 'known heads'))) {
    heads.clear();
    await takeEventsAfter(store, heads, 0n, 'from the start');
  }
  return { upToPosition: heads.mark()?.position ?? 0n, streams: heads.streams, root: await rootOf(heads) };
}

/**
 * Folds the events after `position` into the heads, page by page, each page's heads with its mark.
 * From known heads, an event that begins a stream the heads do not know mid-way means they are not
 * this log's: false. From the start, such a stream (its first events deleted) chains from the
 * genesis hash, as the integrity check walks it.
 */
async function takeEventsAfter(store: EventStore, heads: SealHeads, position: bigint, from: 'known heads' | 'from the start'): Promise<boolean> {
  let after = position;
  for (;;) {
    const page = await store.readAll({ after, maxCount: LOG_PAGE });
    const changed = new Map<string, StreamHead>();
    for (const event of page) {
      const head = changed.get(event.streamId) ?? heads.head(event.streamId);
      if (!head && event.revision !== 0n && from === 'known heads') return false;
      // As the walker follows a chain: an event's own hash, or for one written before chains, its hash on the chain so far.
      const hash = event.metadata.hash ?? eventHash(head?.hash ?? GENESIS_HASH, event);
      changed.set(event.streamId, { stream: event.streamId, revision: event.revision, hash });
    }
    if (page.length > 0) heads.take([...changed.values()], { position: page[page.length - 1]!.position, eventId: page[page.length - 1]!.id });
    if (page.length < LOG_PAGE) return true;
    after = page[page.length - 1]!.position;
    // A store that reads synchronously resolves at once: without a turn, a first seal of a national log holds the service for a minute.
    await nextTurn();
  }
}

/** The root over the stored heads, read in stream order; in memory when the file's order is not JavaScript's (a stream id beyond U+FFFF). */
async function rootOf(heads: SealHeads): Promise<string> {
  const builder = new MerkleRootBuilder();
  try {
    let n = 0;
    for (const head of heads.inStreamOrder()) {
      builder.add(head);
      // A turn of the event loop now and then: a national log has a million heads.
      if (++n % HEADS_PER_TURN === 0) await nextTurn();
    }
    return builder.root();
  } catch {
    return merkleRoot([...heads.inStreamOrder()]);
  }
}
