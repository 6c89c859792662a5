import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiCommand, ApiProtected, ProblemCodes } from '../openapi/api-docs';
import { CommandBus } from '@nestjs/cqrs';
import { CommandContext } from '@app/event-store';
import { CommandResponse } from '../common/command-response';
import { IdParamPipe } from '../common/id-param.pipe';
import { Command } from '../common/request-context';
import { ChangeUnitCommand } from './commands/change-unit';
import { RegisterUnitCommand } from './commands/register-unit';
import { CloseUnitDto, MergeUnitDto, MoveUnitDto, RecordMembersDto, RegisterUnitDto } from './dto/unit.dto';

const UNIT_CHANGE_PROBLEMS: ProblemCodes = { 404: ['UNIT_NOT_FOUND'], 409: ['CONCURRENT_MODIFICATION'], 422: ['UNIT_NOT_ACTIVE', 'UNIT_TREE_CYCLE', 'GRASSROOTS_HAS_NO_CHILDREN', 'UNIT_ALREADY_THERE', 'DATE_IN_FUTURE'] };

@ApiTags('units')
@ApiProtected()
@Controller('units')
export class UnitsController {
  constructor(private readonly commands: CommandBus) {}

  @ApiCommand({ summary: 'Register a unit', problems: { 404: ['UNIT_NOT_FOUND'], 409: ['UNIT_ALREADY_EXISTS', 'CONCURRENT_MODIFICATION'], 422: ['UNIT_NOT_ACTIVE', 'UNIT_TREE_CYCLE', 'GRASSROOTS_HAS_NO_CHILDREN', 'UNIT_ALREADY_THERE', 'DATE_IN_FUTURE'] } })
  @Post()
  register(@Body() body: RegisterUnitDto, @Command() context: CommandContext): Promise<CommandResponse> {
    return this.commands.execute(new RegisterUnitCommand(body, context));
  }

  @ApiCommand({ summary: 'Record the member count in force from a date', status: 200, problems: UNIT_CHANGE_PROBLEMS })
  @Post(':id/members')
  @HttpCode(200)
  recordMembers(@Param('id', IdParamPipe) id: string, @Body() body: RecordMembersDto, @Command() context: CommandContext): Promise<CommandResponse> {
    return this.commands.execute(new ChangeUnitCommand(id, { type: 'RecordMemberCount', ...body }, context));
  }

  @ApiCommand({ summary: 'Move under another parent', status: 200, problems: UNIT_CHANGE_PROBLEMS })
  @Post(':id/move')
  @HttpCode(200)
  move(@Param('id', IdParamPipe) id: string, @Body() body: MoveUnitDto, @Command() context: CommandContext): Promise<CommandResponse> {
    const { parentId, ...rest } = body;
    return this.commands.execute(new ChangeUnitCommand(id, { type: 'MoveUnit', toParentId: parentId, ...rest }, context));
  }

  @ApiCommand({ summary: 'Merge into another unit', status: 200, problems: UNIT_CHANGE_PROBLEMS })
  @Post(':id/merge')
  @HttpCode(200)
  merge(@Param('id', IdParamPipe) id: string, @Body() body: MergeUnitDto, @Command() context: CommandContext): Promise<CommandResponse> {
    return this.commands.execute(new ChangeUnitCommand(id, { type: 'MergeUnit', ...body }, context));
  }

  @ApiCommand({ summary: 'Close', status: 200, problems: UNIT_CHANGE_PROBLEMS })
  @Post(':id/close')
  @HttpCode(200)
  close(@Param('id', IdParamPipe) id: string, @Body() body: CloseUnitDto, @Command() context: CommandContext): Promise<CommandResponse> {
    return this.commands.execute(new ChangeUnitCommand(id, { type: 'CloseUnit', ...body }, context));
  }
}
