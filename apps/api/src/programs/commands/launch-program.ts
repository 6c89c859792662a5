import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { asLocalDate, DEFAULT_COUNTING_RULE, programDecider, streams } from '@app/domain';
import { CommandContext } from '@app/event-store';
import { commandResponse, CommandResponse } from '../../common/command-response';
import { LaunchProgramDto } from '../dto/launch-program.dto';
import { Aggregates } from '../../common/aggregates';

export class LaunchProgramCommand {
  constructor(
    readonly body: LaunchProgramDto,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(LaunchProgramCommand)
export class LaunchProgramHandler implements ICommandHandler<LaunchProgramCommand, CommandResponse> {
  constructor(private readonly aggregates: Aggregates) {}

  async execute({ body, context }: LaunchProgramCommand): Promise<CommandResponse> {
    const result = await this.aggregates.handle(
      programDecider,
      streams.program(body.id),
      {
        type: 'LaunchProgram',
        programId: body.id,
        name: body.name.trim(),
        period: body.from && body.to ? { from: asLocalDate(body.from), to: asLocalDate(body.to) } : null,
        eligibility: { from: asLocalDate(body.eligibility.from), to: asLocalDate(body.eligibility.to) },
        phases: body.phases.map((p) => ({ id: p.id, name: p.name.trim(), from: asLocalDate(p.from), to: asLocalDate(p.to), targetPercent: p.targetPercent })),
        targetPercent: body.targetPercent,
        countingRule: body.countingRule ? { basis: body.countingRule.basis, date: body.countingRule.date } : DEFAULT_COUNTING_RULE,
        documentRef: body.documentRef ?? null,
      },
      context,
    );
    return commandResponse(body.id, result);
  }
}
