import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ProgramCommand, programDecider, streams, notFound } from '@app/domain';
import { CommandContext } from '@app/event-store';
import { commandResponse, CommandResponse } from '../../common/command-response';
import { Aggregates } from '../../common/aggregates';

/** Amending a phase, the counting rule or the eligibility window: one use case, "change the rules". */
export class ChangeProgramRulesCommand {
  constructor(
    readonly programId: string,
    readonly change: Exclude<ProgramCommand, { type: 'LaunchProgram' }>,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(ChangeProgramRulesCommand)
export class ChangeProgramRulesHandler implements ICommandHandler<ChangeProgramRulesCommand, CommandResponse> {
  constructor(private readonly aggregates: Aggregates) {}

  async execute({ programId, change, context }: ChangeProgramRulesCommand): Promise<CommandResponse> {
    const result = await this.aggregates.handle(programDecider, streams.program(programId), change, context, {
      mustExist: () => notFound('Program', programId),
    });
    return commandResponse(programId, result);
  }
}
