import { Inject, Injectable, Logger } from '@nestjs/common';
import { domainEventCodec, ExistingUnit, LocalDate, ProgramLaunched, ProgramRules, UnitEvent, UnitTree } from '@app/domain';
import { EVENT_STORE, EventStore } from '@app/event-store';
import {
  INITIATIVES_IN_MEMORY,
  ProgramQueries,
  READ_MODEL_STORE,
  ReadModelProjections,
  ReadModelWriter,
  replayLog,
  restoreProjectionStateBetweenTurns,
  SavedProjectionState,
  StateRefusedError,
  storedRules,
} from '@app/read-models';
import { setImmediate as nextTurn } from 'node:timers/promises';

/** One programme's figures of a unit for one phase ('all': the whole programme), over its subtree. */
export interface PreviewFigures {
  programId: string;
  phaseId: string;
  quota: number;
  quotaSource: 'assigned' | 'default';
  counted: number;
  benefitValue: string;
}

export interface PreviewSide {
  parentId: string | null;
  status: ExistingUnit['status'];
  /** Members in force on the effective date over the subtree (active units only). */
  members: number;
  figures: PreviewFigures[];
}

export interface PreviewUnit {
  unitId: string;
  name: string;
  kind: string;
  /** null: the plan registers it. */
  before: PreviewSide | null;
  after: PreviewSide;
}

export interface PlaceChange {
  unitId: string;
  fromParentId: string | null;
  toParentId: string | null;
  statusBefore: ExistingUnit['status'] | 'none';
  statusAfter: ExistingUnit['status'];
}

export interface PlanPreview {
  /** The log position the preview was computed at. */
  position: string;
  /** Each unit whose place or status the plan changes: its old and new parent. */
  changes: PlaceChange[];
  /** Every province and sector union before and after the plan. */
  units: PreviewUnit[];
}

/** The plan's events applied to the figures between two turns of the event loop. */
const PLAN_EVENTS_PER_TURN = 250;

/**
 * Where a preview's figures start: the projection state the projector saved beside the live read
 * models. Read before the tree the plan is checked against, so that it is never beyond it.
 */
export interface PreviewStart {
  saved: SavedProjectionState | null;
  checkpoint: bigint;
}

/** What a preview reads of the live read models. */
export type PreviewReads = ProgramQueries & Pick<ReadModelWriter, 'savedState' | 'checkpoint'>;

/**
 * What a plan would do to the figures, written nowhere: the projection's state saved beside the
 * read models (computed under the rules the stored figures were computed under), brought to the
 * plan's position by the log's tail, figures read; then the plan's own unit events applied to it
 * after the head of the log and the figures read again. The same projection code then computes
 * the real run's read models from the same events, so the preview is what the real run shows, if
 * nothing else is written meanwhile. Without a state to trust, the whole log is replayed (slowly,
 * in the projector's bounded memory) and a warning says why.
 */
@Injectable()
export class PlanPreviewer {
  private readonly logger = new Logger(PlanPreviewer.name);

  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_MODEL_STORE) private readonly store: PreviewReads,
  ) {}

  async start(): Promise<PreviewStart> {
    return { saved: await this.store.savedState(), checkpoint: await this.store.checkpoint() };
  }

  async preview(input: { start: PreviewStart; position: bigint; before: UnitTree; after: UnitTree; events: UnitEvent[]; effectiveOn: LocalDate }): Promise<PlanPreview> {
    const launches = await this.events.readAll({ eventTypes: ['ProgramLaunched'] });
    const programIds = new Set(launches.filter((e) => e.position <= input.position).map((e) => (e.data as ProgramLaunched['data']).programId));
    // Under the rules the stored figures were computed under; a programme not yet projected counts under its launch rules (the replay's default).
    const rules = await storedRules(this.store, programIds);
    const counted = await replayLog(this.events, {
      upTo: input.position,
      rules,
      from: await this.restored(input.start, input.position, rules),
      initiativesInMemory: INITIATIVES_IN_MEMORY,
      onPage: async (projection) => projection.keepFiguresOnly(),
    });
    const figuresOf = (unitId: string): PreviewFigures[] =>
      [...programIds].sort().flatMap((programId) =>
        counted.progress.rows(programId, unitId).map(({ phaseId, quota, quotaSource, counted: n, benefitValue }) => ({ programId, phaseId, quota, quotaSource, counted: n, benefitValue })),
      );
    const side = (tree: UnitTree, unit: ExistingUnit): PreviewSide => ({
      parentId: unit.parentId,
      status: unit.status,
      members: tree.subtreeMembers(unit.unitId, input.effectiveOn),
      figures: figuresOf(unit.unitId),
    });
    const shown = [...input.after.all()].filter((u) => u.kind === 'province' || u.kind === 'sector').sort((a, b) => a.unitId.localeCompare(b.unitId));
    const before = new Map(shown.map((u) => [u.unitId, beforeSide(input.before, u.unitId, side)]));
    for (const [i, event] of input.events.entries()) {
      const { type, data, schemaVersion } = domainEventCodec.encode(event);
      counted.apply({ type, data, position: input.position + BigInt(i + 1), metadata: { schemaVersion } });
      // A national plan's moves, each rolling a subtree's figures from one province into another: other requests get turns between them.
      if (i % PLAN_EVENTS_PER_TURN === PLAN_EVENTS_PER_TURN - 1) await nextTurn();
    }
    return {
      position: input.position.toString(),
      changes: placeChanges(input.before, input.after),
      units: shown.map((u) => ({ unitId: u.unitId, name: u.name, kind: u.kind, before: before.get(u.unitId) ?? null, after: side(input.after, u) })),
    };
  }

  /** The saved state as a projection to carry on from, when it can be trusted for this position and these rules; else undefined (a whole replay). */
  private async restored({ saved, checkpoint }: PreviewStart, position: bigint, rules: ReadonlyMap<string, ProgramRules>): Promise<ReadModelProjections | undefined> {
    const refused = (reason: string) => {
      this.logger.warn(`A plan's preview replays the whole log: the read models' saved projection state ${reason}`);
      return undefined;
    };
    if (!saved) return refused('is missing');
    if (saved.position > position) return refused(`is at ${saved.position}, beyond the plan's position ${position}`);
    let projection: ReadModelProjections;
    try {
      // Between turns: a national state is 120 MB of JSON, restored in one block it held every request for seconds.
      projection = await restoreProjectionStateBetweenTurns(saved, checkpoint, rules, { initiativesInMemory: INITIATIVES_IN_MEMORY });
    } catch (error) {
      if (error instanceof StateRefusedError) return refused(`is refused: ${error.message}`);
      throw error;
    }
    // A rebuild under other rules may have switched between the state's read and the rules' read: the figures must be of the rules the read models show.
    for (const [programId, expected] of rules) {
      const doc = projection.programs.document(programId);
      if (doc && doc.rulesVersion !== expected.rulesVersion) return refused(`counts programme ${programId} under rules version ${doc.rulesVersion}, the read models under ${expected.rulesVersion}`);
    }
    return projection;
  }
}

function beforeSide(tree: UnitTree, unitId: string, side: (tree: UnitTree, unit: ExistingUnit) => PreviewSide): PreviewSide | null {
  const unit = tree.get(unitId);
  return unit.status === 'none' ? null : side(tree, unit);
}

function placeChanges(before: UnitTree, after: UnitTree): PlaceChange[] {
  const changes: PlaceChange[] = [];
  for (const unit of after.all()) {
    const old = before.get(unit.unitId);
    const fromParentId = old.status === 'none' ? null : old.parentId;
    if (old.status !== 'none' && old.parentId === unit.parentId && old.status === unit.status) continue;
    changes.push({ unitId: unit.unitId, fromParentId, toParentId: unit.parentId, statusBefore: old.status, statusAfter: unit.status });
  }
  return changes.sort((a, b) => a.unitId.localeCompare(b.unitId));
}
