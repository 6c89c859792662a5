import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { notFound } from '@app/domain';
import { EVENT_STORE, EventStore, IntegrityReport, verifyStreams } from '@app/event-store';
import { storedEvents } from '@app/personal-data';
import { HistoryQueries, READ_MODEL_STORE, UnitQueries, unitStreams } from '@app/read-models';
import { ReadSide } from '../../read-models/read-side';

export class CheckUnitIntegrityQuery {
  constructor(
    readonly unitId: string,
    readonly programId: string,
    readonly minPosition?: string,
  ) {}
}

/** Checks the hash chains of every stream behind a unit's figures, as stored. */
@QueryHandler(CheckUnitIntegrityQuery)
export class CheckUnitIntegrityHandler implements IQueryHandler<CheckUnitIntegrityQuery, IntegrityReport & { programId: string; unitId: string }> {
  constructor(
    private readonly readSide: ReadSide,
    @Inject(READ_MODEL_STORE) private readonly readModels: UnitQueries & HistoryQueries,
    @Inject(EVENT_STORE) private readonly events: EventStore,
  ) {}

  async execute({ unitId, programId, minPosition }: CheckUnitIntegrityQuery): Promise<IntegrityReport & { programId: string; unitId: string }> {
    await this.readSide.positionAtLeast(minPosition);
    await this.readSide.program(programId);
    const streams = await unitStreams(this.readModels, programId, unitId);
    if (!streams) throw notFound('Unit', unitId);
    return { programId, unitId, ...(await verifyStreams(storedEvents(this.events), streams)) };
  }
}
