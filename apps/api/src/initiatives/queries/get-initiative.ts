import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { notFound } from '@app/domain';
import { InitiativeDoc } from '@app/read-models';
import { ReadSide } from '../../read-models/read-side';

export class GetInitiativeQuery {
  constructor(
    readonly initiativeId: string,
    readonly minPosition?: string,
  ) {}
}

@QueryHandler(GetInitiativeQuery)
export class GetInitiativeHandler implements IQueryHandler<GetInitiativeQuery, InitiativeDoc & { position: string }> {
  constructor(private readonly readSide: ReadSide) {}

  async execute({ initiativeId, minPosition }: GetInitiativeQuery): Promise<InitiativeDoc & { position: string }> {
    const position = await this.readSide.positionAtLeast(minPosition);
    const doc = await this.readSide.store.initiative(initiativeId);
    if (!doc) throw notFound('Initiative', initiativeId);
    return { ...doc, position };
  }
}
