import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { AssignQuotaRequest, quotaDecider, streams, WHOLE_PROGRAM_KEY } from '@app/domain';
import { CommandContext } from '@app/event-store';
import { Aggregates } from '../common/aggregates';
import { commandResponse, CommandResponse } from '../common/command-response';
import { Lookups } from '../common/lookups';

export class AssignQuotaCommand {
  constructor(
    readonly request: AssignQuotaRequest,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(AssignQuotaCommand)
export class AssignQuotaHandler implements ICommandHandler<AssignQuotaCommand, CommandResponse> {
  constructor(
    private readonly aggregates: Aggregates,
    private readonly lookups: Lookups,
  ) {}

  async execute({ request, context }: AssignQuotaCommand): Promise<CommandResponse> {
    const { programId, unitId, phaseId, assignedByUnitId } = request;
    const [program, unit, assignedBy] = await Promise.all([
      this.lookups.program(programId),
      this.lookups.unit(unitId),
      assignedByUnitId === null ? null : this.lookups.unit(assignedByUnitId),
    ]);
    const result = await this.aggregates.handle(quotaDecider, streams.quota(programId, unitId), { ...request, program, unit, assignedBy }, context);
    return commandResponse(`${programId}:${unitId}:${phaseId ?? WHOLE_PROGRAM_KEY}`, result);
  }
}
