import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { quotaDecider, streams, WHOLE_PROGRAM_KEY } from '@app/domain';
import { CommandContext } from '@app/event-store';
import { commandResponse, CommandResponse } from '../common/command-response';
import { Lookups } from '../common/lookups';
import { AssignQuotaDto } from './assign-quota.dto';
import { Aggregates } from '../common/aggregates';

export class AssignQuotaCommand {
  constructor(
    readonly programId: string,
    readonly body: AssignQuotaDto,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(AssignQuotaCommand)
export class AssignQuotaHandler implements ICommandHandler<AssignQuotaCommand, CommandResponse> {
  constructor(
    private readonly aggregates: Aggregates,
    private readonly lookups: Lookups,
  ) {}

  async execute({ programId, body, context }: AssignQuotaCommand): Promise<CommandResponse> {
    const assignedByUnitId = body.assignedByUnitId ?? null;
    const [program, unit, assignedBy] = await Promise.all([
      this.lookups.program(programId),
      this.lookups.unit(body.unitId),
      assignedByUnitId === null ? null : this.lookups.unit(assignedByUnitId),
    ]);
    const phaseId = body.phaseId ?? null;
    const result = await this.aggregates.handle(
      quotaDecider,
      streams.quota(programId, body.unitId),
      { type: 'AssignQuota', programId, unitId: body.unitId, phaseId, quota: body.quota, documentRef: body.documentRef, assignedByUnitId, program, unit, assignedBy },
      context,
    );
    return commandResponse(`${programId}:${body.unitId}:${phaseId ?? WHOLE_PROGRAM_KEY}`, result);
  }
}
