import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { notFound } from '@app/domain';
import { InitiativeDoc, InitiativeQueries, READ_MODEL_STORE } from '@app/read-models';
import { ReadSide } from '../../read-models/read-side';
import { ApiInitiativeStatus, withApiStatus } from '../initiative-status';

export class GetInitiativeQuery {
  constructor(
    readonly initiativeId: string,
    readonly minPosition?: string,
  ) {}
}

export type InitiativeAnswer = Omit<InitiativeDoc, 'status'> & { status: ApiInitiativeStatus; position: string };

@QueryHandler(GetInitiativeQuery)
export class GetInitiativeHandler implements IQueryHandler<GetInitiativeQuery, InitiativeAnswer> {
  constructor(
    private readonly readSide: ReadSide,
    @Inject(READ_MODEL_STORE) private readonly initiatives: InitiativeQueries,
  ) {}

  async execute({ initiativeId, minPosition }: GetInitiativeQuery): Promise<InitiativeAnswer> {
    const position = await this.readSide.positionAtLeast(minPosition);
    const doc = await this.initiatives.initiative(initiativeId);
    if (!doc) throw notFound('Initiative', initiativeId);
    return { ...withApiStatus(doc), position };
  }
}
