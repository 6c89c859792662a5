import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { notFound } from '@app/domain';
import { InitiativeDoc } from '@app/read-models';
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
  constructor(private readonly readSide: ReadSide) {}

  async execute({ initiativeId, minPosition }: GetInitiativeQuery): Promise<InitiativeAnswer> {
    const position = await this.readSide.positionAtLeast(minPosition);
    const doc = await this.readSide.store.initiative(initiativeId);
    if (!doc) throw notFound('Initiative', initiativeId);
    return { ...withApiStatus(doc), position };
  }
}
