import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { asLocalDate, localDateOf, streams, unitDecider } from '@app/domain';
import { CommandContext } from '@app/event-store';
import { commandResponse, CommandResponse } from '../../common/command-response';
import { Lookups } from '../../common/lookups';
import { RegisterUnitDto } from '../dto/unit.dto';
import { Aggregates } from '../../common/aggregates';

export class RegisterUnitCommand {
  constructor(
    readonly body: RegisterUnitDto,
    readonly context: CommandContext,
  ) {}
}

@CommandHandler(RegisterUnitCommand)
export class RegisterUnitHandler implements ICommandHandler<RegisterUnitCommand, CommandResponse> {
  constructor(
    private readonly aggregates: Aggregates,
    private readonly lookups: Lookups,
  ) {}

  async execute({ body, context }: RegisterUnitCommand): Promise<CommandResponse> {
    const parentId = body.parentId ?? null;
    const parent = parentId === null ? null : await this.lookups.unit(parentId);
    const result = await this.aggregates.handle(
      unitDecider,
      streams.unit(body.id),
      {
        type: 'RegisterUnit',
        unitId: body.id,
        name: body.name.trim(),
        kind: body.kind,
        parentId,
        memberCount: body.memberCount,
        effectiveOn: body.effectiveOn ? asLocalDate(body.effectiveOn) : localDateOf(context.now),
        parent,
      },
      context,
    );
    return commandResponse(body.id, result);
  }
}
