import { randomUUID } from 'node:crypto';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { asLocalDate, initiativeDecider, parseVnd, streams } from '@app/domain';
import { AggregateStore, CommandContext, deterministicUuid } from '@app/event-store';
import { commandResponse, CommandResponse } from '../../common/command-response';
import { Lookups } from '../../common/lookups';
import { SubmitInitiativeDto } from '../dto/initiative.dto';

export class SubmitInitiativeCommand {
  constructor(
    readonly body: SubmitInitiativeDto,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(SubmitInitiativeCommand)
export class SubmitInitiativeHandler implements ICommandHandler<SubmitInitiativeCommand, CommandResponse> {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly lookups: Lookups,
  ) {}

  async execute({ body, context }: SubmitInitiativeCommand): Promise<CommandResponse> {
    // A retried submission without an id must land on the same stream, so the id comes from the key.
    const initiativeId = body.id ?? (context.idempotencyKey ? deterministicUuid('initiative', context.idempotencyKey) : randomUUID());
    const [program, unit] = await Promise.all([this.lookups.program(body.programId), this.lookups.unit(body.unitId)]);
    const result = await this.aggregates.handle(
      initiativeDecider,
      streams.initiative(initiativeId),
      {
        type: 'SubmitInitiative',
        initiativeId,
        programId: body.programId,
        unitId: body.unitId,
        title: body.title.trim(),
        authors: body.authors,
        category: body.category,
        appliedOn: asLocalDate(body.appliedOn),
        submittedAt: body.submittedAt ?? context.now,
        benefitValue: parseVnd(body.benefitValue)!,
        program,
        unit,
        now: context.now,
      },
      context,
    );
    return commandResponse(initiativeId, result);
  }
}
