import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { notFound } from '@app/domain';
import { EVENT_STORE, EventStore } from '@app/event-store';
import { READ_MODEL_STORE, UnitVerificationReads, VerificationResult, verifyUnit } from '@app/read-models';
import { Metrics } from '../../metrics/metrics';
import { ReadSide } from '../../read-models/read-side';

export class VerifyUnitQuery {
  constructor(
    readonly unitId: string,
    readonly programId: string,
    readonly minPosition?: string,
  ) {}
}

/** Replays the unit's figures from the event store and compares them with the read model, field by field. */
@QueryHandler(VerifyUnitQuery)
export class VerifyUnitHandler implements IQueryHandler<VerifyUnitQuery, VerificationResult & { programId: string; unitId: string }> {
  constructor(
    private readonly readSide: ReadSide,
    @Inject(READ_MODEL_STORE) private readonly readModels: UnitVerificationReads,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    private readonly metrics: Metrics,
  ) {}

  async execute({ unitId, programId, minPosition }: VerifyUnitQuery): Promise<VerificationResult & { programId: string; unitId: string }> {
    await this.readSide.positionAtLeast(minPosition);
    await this.readSide.program(programId);
    if (!(await this.readModels.unit(unitId))) throw notFound('Unit', unitId);
    const result = await verifyUnit(this.readModels, this.events, programId, unitId);
    this.metrics.verifications.inc({ scope: 'unit', result: result.consistent ? 'consistent' : 'inconsistent' });
    return { programId, unitId, ...result };
  }
}
