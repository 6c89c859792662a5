import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { READ_MODEL_STORE, StoredDocumentsReader } from '@app/read-models';
import { ReadSide } from '../../read-models/read-side';
import { ProgramView } from './get-program';

export interface ProgramList {
  items: ProgramView[];
  position: string;
}

/** Every programme, by id: there are a handful (one per campaign), so one page holds them all. */
export class ListProgramsQuery {
  constructor(readonly minPosition?: string) {}
}

@QueryHandler(ListProgramsQuery)
export class ListProgramsHandler implements IQueryHandler<ListProgramsQuery, ProgramList> {
  constructor(
    private readonly readSide: ReadSide,
    @Inject(READ_MODEL_STORE) private readonly readModels: StoredDocumentsReader,
  ) {}

  async execute({ minPosition }: ListProgramsQuery): Promise<ProgramList> {
    const position = await this.readSide.positionAtLeast(minPosition);
    const items: ProgramView[] = [];
    for await (const program of this.readModels.documents('programs')) items.push({ ...program, ...this.readSide.rules(program), position });
    items.sort((a, b) => (a.programId < b.programId ? -1 : a.programId > b.programId ? 1 : 0));
    return { items, position };
  }
}
