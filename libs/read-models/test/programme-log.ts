import { randomUUID } from 'node:crypto';
import { LocalDate, localDateOf, AnyDomainEvent, streams } from '@app/domain';
import { EventStore, ExpectedRevision, StoredEvent } from '@app/event-store';

export interface LoggedEvent {
  streamId: string;
  event: AnyDomainEvent;
}

const d = (s: string) => s as LocalDate;

/** The instant the i-th event of a log is recorded at, when a test wants them apart and in the past. */
const hourly = (i: number) => new Date(Date.UTC(2022, 0, 20) + i * 3_600_000 * 7).toISOString();

/**
 * Builds a programme's history event by event, the way the command side would have recorded it,
 * for tests of the read side: feed it to a projection directly, or append it to an event store.
 */
export class ProgrammeLog {
  readonly entries: LoggedEvent[] = [];

  constructor(readonly programId = 'bk-2022') {}

  private push(streamId: string, event: AnyDomainEvent): this {
    this.entries.push({ streamId, event });
    return this;
  }

  launch(phases: { id: string; from: string; to: string; targetPercent: number }[], eligibility = { from: '2021-09-01', to: '2023-09-01' }, targetPercent = 15): this {
    return this.push(streams.program(this.programId), {
      type: 'ProgramLaunched',
      data: {
        programId: this.programId,
        name: 'Bắc Kạn',
        period: null,
        eligibility: { from: d(eligibility.from), to: d(eligibility.to) },
        phases: phases.map((p) => ({ ...p, name: p.id, from: d(p.from), to: d(p.to) })),
        targetPercent,
        countingRule: { basis: 'approved', date: 'submittedAt' },
        documentRef: '111/KH-LĐLĐ',
      },
    });
  }

  /** Bắc Kạn's three phases (5 %, 4 %, 6 %). */
  launchBacKan(): this {
    return this.launch([
      { id: 'p1', from: '2022-01-26', to: '2022-05-31', targetPercent: 5 },
      { id: 'p2', from: '2022-06-01', to: '2022-12-31', targetPercent: 4 },
      { id: 'p3', from: '2023-01-01', to: '2023-09-01', targetPercent: 6 },
    ]);
  }

  amendPhase(phaseId: string, from: string, to: string, targetPercent: number): this {
    return this.push(streams.program(this.programId), {
      type: 'PhaseAmended',
      data: { programId: this.programId, phaseId, from: d(from), to: d(to), targetPercent, documentRef: 'CV-amend' },
    });
  }

  countingRule(basis: 'approved' | 'submitted', date: 'submittedAt' | 'approvedAt'): this {
    return this.push(streams.program(this.programId), { type: 'CountingRuleChanged', data: { programId: this.programId, basis, date, documentRef: 'CV-rule' } });
  }

  unit(unitId: string, kind: 'province' | 'sector' | 'district' | 'grassroots', parentId: string | null, memberCount: number, effectiveOn = '2022-01-01'): this {
    return this.push(streams.unit(unitId), {
      type: 'UnitRegistered',
      data: { unitId, name: `Công đoàn ${unitId}`, kind, parentId, memberCount, effectiveOn: d(effectiveOn) },
    });
  }

  members(unitId: string, memberCount: number, effectiveOn: string): this {
    return this.push(streams.unit(unitId), { type: 'MemberCountRecorded', data: { unitId, memberCount, effectiveOn: d(effectiveOn) } });
  }

  move(unitId: string, fromParentId: string | null, toParentId: string): this {
    return this.push(streams.unit(unitId), { type: 'UnitMoved', data: { unitId, fromParentId, toParentId, effectiveOn: d('2022-07-01'), documentRef: 'QĐ-move' } });
  }

  merge(unitId: string, fromParentId: string | null, intoUnitId: string, effectiveOn = '2022-07-01'): this {
    return this.push(streams.unit(unitId), { type: 'UnitMerged', data: { unitId, intoUnitId, fromParentId, effectiveOn: d(effectiveOn), documentRef: 'QĐ-merge' } });
  }

  close(unitId: string, effectiveOn = '2022-07-01'): this {
    return this.push(streams.unit(unitId), { type: 'UnitClosed', data: { unitId, effectiveOn: d(effectiveOn), documentRef: 'QĐ-close', reason: null } });
  }

  quota(unitId: string, phaseId: string | null, quota: number, previousQuota: number | null = null): this {
    return this.push(streams.quota(this.programId, unitId), {
      type: 'QuotaAssigned',
      data: { programId: this.programId, unitId, phaseId, quota, previousQuota, documentRef: '1144/LĐLĐ-CTCS', assignedByUnitId: null },
    });
  }

  submit(initiativeId: string, unitId: string, submittedAt: string, benefitValue = '1000000', extra: { title?: string; appliedOn?: string } = {}): this {
    return this.push(streams.initiative(initiativeId), {
      type: 'InitiativeSubmitted',
      data: {
        initiativeId,
        programId: this.programId,
        unitId,
        title: extra.title ?? `Sáng kiến ${initiativeId}`,
        authors: ['Nguyễn Văn Đức'],
        category: 'technical',
        appliedOn: d(extra.appliedOn ?? '2022-03-01'),
        submittedAt,
        submittedOn: localDateOf(submittedAt),
        benefitValue,
      },
    });
  }

  approve(initiativeId: string, unitId: string, approvedAt: string, benefitValue: string): this {
    return this.push(streams.initiative(initiativeId), {
      type: 'InitiativeApproved',
      data: { initiativeId, programId: this.programId, unitId, approvedAt, approvedOn: localDateOf(approvedAt), benefitValue, decisionRef: 'QĐ-HĐSK' },
    });
  }

  reject(initiativeId: string, unitId: string, at = '2022-05-01T00:00:00Z'): this {
    return this.push(streams.initiative(initiativeId), {
      type: 'InitiativeRejected',
      data: { initiativeId, programId: this.programId, unitId, rejectedAt: at, rejectedOn: localDateOf(at), reason: 'không đạt' },
    });
  }

  withdraw(initiativeId: string, unitId: string, at = '2022-05-01T00:00:00Z'): this {
    return this.push(streams.initiative(initiativeId), {
      type: 'InitiativeWithdrawn',
      data: { initiativeId, programId: this.programId, unitId, withdrawnAt: at, withdrawnOn: localDateOf(at), reason: null },
    });
  }

  revoke(initiativeId: string, unitId: string, at = '2022-08-01T00:00:00Z'): this {
    return this.push(streams.initiative(initiativeId), {
      type: 'InitiativeApprovalRevoked',
      data: { initiativeId, programId: this.programId, unitId, revokedAt: at, revokedOn: localDateOf(at), reason: 'bảo hộ SHTT', documentRef: null },
    });
  }

  moveInitiative(initiativeId: string, fromUnitId: string, toUnitId: string): this {
    return this.push(streams.initiative(initiativeId), {
      type: 'InitiativeMoved',
      data: { initiativeId, programId: this.programId, unitId: toUnitId, fromUnitId, reason: null },
    });
  }

  correct(initiativeId: string, unitId: string, changes: { benefitValue?: string; appliedOn?: string; title?: string }): this {
    return this.push(streams.initiative(initiativeId), {
      type: 'InitiativeCorrected',
      data: { initiativeId, programId: this.programId, unitId, changes: changes as never, reason: null },
    });
  }

  /** The events with consecutive positions from 1, as the projection receives them from a store, recorded an hour apart from 2022. */
  positioned(): StoredEvent[] {
    const revisions = new Map<string, bigint>();
    return this.entries.map(({ streamId, event }, i) => {
      const revision = revisions.get(streamId) ?? 0n;
      revisions.set(streamId, revision + 1n);
      const metadata = { actor: 'test', recordedAt: hourly(i), correlationId: `c-${i}`, schemaVersion: 1 };
      return { id: `e-${i}`, type: event.type, streamId, revision, position: BigInt(i + 1), data: event.data as Record<string, unknown>, metadata };
    });
  }

  /** Appends the events (all, or those from index `from` to before `to`) to a store, each at the right revision of its stream. */
  async appendTo(store: EventStore, from = 0, to = this.entries.length, options: { recordedHourly?: boolean } = {}): Promise<void> {
    const revisions = new Map<string, bigint>();
    for (const [i, { streamId, event }] of this.entries.slice(from, to).entries()) {
      let expected: ExpectedRevision = revisions.get(streamId) ?? 'any';
      if (expected === 'any') {
        const existing = await store.readStream(streamId, { direction: 'backwards', maxCount: 1 });
        expected = existing[0]?.revision ?? 'no_stream';
      }
      const result = await store.append(
        streamId,
        [{ id: randomUUID(), type: event.type, data: event.data as Record<string, unknown>, metadata: { actor: 'test', recordedAt: options.recordedHourly ? hourly(from + i) : new Date().toISOString(), correlationId: randomUUID(), schemaVersion: 1 } }],
        expected,
      );
      revisions.set(streamId, result.nextExpectedRevision);
    }
  }
}
