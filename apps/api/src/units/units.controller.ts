import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CommandContext } from '@app/event-store';
import { CommandResponse } from '../common/command-response';
import { IdParamPipe } from '../common/id-param.pipe';
import { Command } from '../common/request-context';
import { ChangeUnitCommand } from './commands/change-unit';
import { RegisterUnitCommand } from './commands/register-unit';
import { CloseUnitDto, MergeUnitDto, MoveUnitDto, RecordMembersDto, RegisterUnitDto } from './dto/unit.dto';
import { Allow, beneathUnitParam, unitInBody } from '../auth/access-rule';

@Controller('units')
export class UnitsController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  // The new unit is beneath the officer's unit when its parent is in the officer's subtree.
  @Allow(['officer'], unitInBody('parentId'))
  register(@Body() body: RegisterUnitDto, @Command() context: CommandContext): Promise<CommandResponse> {
    return this.commands.execute(new RegisterUnitCommand(body, context));
  }

  @Post(':id/members')
  @Allow(['officer'], beneathUnitParam('id'))
  @HttpCode(200)
  recordMembers(@Param('id', IdParamPipe) id: string, @Body() body: RecordMembersDto, @Command() context: CommandContext): Promise<CommandResponse> {
    return this.commands.execute(new ChangeUnitCommand(id, { type: 'RecordMemberCount', ...body }, context));
  }

  @Post(':id/move')
  @Allow(['officer'], beneathUnitParam('id'), unitInBody('parentId'))
  @HttpCode(200)
  move(@Param('id', IdParamPipe) id: string, @Body() body: MoveUnitDto, @Command() context: CommandContext): Promise<CommandResponse> {
    const { parentId, ...rest } = body;
    return this.commands.execute(new ChangeUnitCommand(id, { type: 'MoveUnit', toParentId: parentId, ...rest }, context));
  }

  @Post(':id/merge')
  @Allow(['officer'], beneathUnitParam('id'), unitInBody('intoUnitId'))
  @HttpCode(200)
  merge(@Param('id', IdParamPipe) id: string, @Body() body: MergeUnitDto, @Command() context: CommandContext): Promise<CommandResponse> {
    return this.commands.execute(new ChangeUnitCommand(id, { type: 'MergeUnit', ...body }, context));
  }

  @Post(':id/close')
  @Allow(['officer'], beneathUnitParam('id'))
  @HttpCode(200)
  close(@Param('id', IdParamPipe) id: string, @Body() body: CloseUnitDto, @Command() context: CommandContext): Promise<CommandResponse> {
    return this.commands.execute(new ChangeUnitCommand(id, { type: 'CloseUnit', ...body }, context));
  }
}
