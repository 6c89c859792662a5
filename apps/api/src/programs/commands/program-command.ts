import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { notFound, ProgramCommand, programDecider, streams } from '@app/domain';
import { CommandContext } from '@app/event-store';
import { Aggregates } from '../../common/aggregates';
import { commandResponse, CommandResponse } from '../../common/command-response';

/** Any command on a programme, as the domain states it: the decider alone tells them apart. */
export class ProgramCommandMessage {
  constructor(
    readonly programId: string,
    readonly command: ProgramCommand,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(ProgramCommandMessage)
export class ProgramCommandHandler implements ICommandHandler<ProgramCommandMessage, CommandResponse> {
  constructor(private readonly aggregates: Aggregates) {}

  async execute({ programId, command, context }: ProgramCommandMessage): Promise<CommandResponse> {
    const creates = command.type === 'LaunchProgram';
    const result = await this.aggregates.handle(programDecider, streams.program(programId), command, context, creates ? {} : { mustExist: () => notFound('Program', programId) });
    return commandResponse(programId, result);
  }
}
