import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiCommand, ApiProtected, ProblemCodes } from '../openapi/api-docs';
import { CommandBus } from '@nestjs/cqrs';
import { asLocalDate, localDateOf, UnitRequest } from '@app/domain';
import { CommandContext } from '@app/event-store';
import { CommandResponse } from '../common/command-response';
import { IdParamPipe } from '../common/id-param.pipe';
import { Command } from '../common/request-context';
import { UnitCommandMessage } from './commands/unit-command';
import { CloseUnitDto, MergeUnitDto, MoveUnitDto, RecordMembersDto, RegisterUnitDto } from './dto/unit.dto';
import { Allow, beneathUnitParam, unitInBody } from '../auth/access-rule';

const UNIT_CHANGE_PROBLEMS: ProblemCodes = { 404: ['UNIT_NOT_FOUND'], 409: ['CONCURRENT_MODIFICATION'], 422: ['UNIT_NOT_ACTIVE', 'UNIT_TREE_CYCLE', 'GRASSROOTS_HAS_NO_CHILDREN', 'UNIT_ALREADY_THERE', 'DATE_IN_FUTURE', 'UNIT_TREE_SHAPE', 'UNIT_HAS_ACTIVE_CHILDREN'] };

@ApiTags('units')
@ApiProtected()
@Controller('units')
export class UnitsController {
  constructor(private readonly commands: CommandBus) {}

  @ApiCommand({ summary: 'Register a unit', problems: { 404: ['UNIT_NOT_FOUND'], 409: ['UNIT_ALREADY_EXISTS', 'CONCURRENT_MODIFICATION'], 422: ['UNIT_NOT_ACTIVE', 'UNIT_TREE_CYCLE', 'GRASSROOTS_HAS_NO_CHILDREN', 'UNIT_ALREADY_THERE', 'DATE_IN_FUTURE', 'UNIT_TREE_SHAPE'] } })
  @Post()
  // The new unit is beneath the officer's unit when its parent is in the officer's subtree.
  @Allow(['officer'], unitInBody('parentId'))
  register(@Body() body: RegisterUnitDto, @Command() context: CommandContext): Promise<CommandResponse> {
    const { id, name, kind, parentId, memberCount, effectiveOn } = body;
    return this.send(id, context, { type: 'RegisterUnit', unitId: id, name: name.trim(), kind, parentId: parentId ?? null, memberCount, effectiveOn: dateOr(effectiveOn, context) });
  }

  @ApiCommand({ summary: 'Record the member count in force from a date', status: 200, problems: UNIT_CHANGE_PROBLEMS })
  @Post(':id/members')
  @Allow(['officer'], beneathUnitParam('id'))
  @HttpCode(200)
  recordMembers(@Param('id', IdParamPipe) id: string, @Body() body: RecordMembersDto, @Command() context: CommandContext): Promise<CommandResponse> {
    return this.send(id, context, { type: 'RecordMemberCount', memberCount: body.memberCount, effectiveOn: asLocalDate(body.effectiveOn) });
  }

  @ApiCommand({ summary: 'Move under another parent', status: 200, problems: UNIT_CHANGE_PROBLEMS })
  @Post(':id/move')
  @Allow(['officer'], beneathUnitParam('id'), unitInBody('parentId'))
  @HttpCode(200)
  move(@Param('id', IdParamPipe) id: string, @Body() body: MoveUnitDto, @Command() context: CommandContext): Promise<CommandResponse> {
    return this.send(id, context, { type: 'MoveUnit', toParentId: body.parentId, effectiveOn: dateOr(body.effectiveOn, context), documentRef: body.documentRef ?? null });
  }

  @ApiCommand({ summary: 'Merge into another unit', status: 200, problems: UNIT_CHANGE_PROBLEMS })
  @Post(':id/merge')
  @Allow(['officer'], beneathUnitParam('id'), unitInBody('intoUnitId'))
  @HttpCode(200)
  merge(@Param('id', IdParamPipe) id: string, @Body() body: MergeUnitDto, @Command() context: CommandContext): Promise<CommandResponse> {
    return this.send(id, context, { type: 'MergeUnit', intoUnitId: body.intoUnitId, effectiveOn: dateOr(body.effectiveOn, context), documentRef: body.documentRef ?? null });
  }

  @ApiCommand({ summary: 'Close', status: 200, problems: UNIT_CHANGE_PROBLEMS })
  @Post(':id/close')
  @Allow(['officer'], beneathUnitParam('id'))
  @HttpCode(200)
  close(@Param('id', IdParamPipe) id: string, @Body() body: CloseUnitDto, @Command() context: CommandContext): Promise<CommandResponse> {
    return this.send(id, context, { type: 'CloseUnit', effectiveOn: dateOr(body.effectiveOn, context), documentRef: body.documentRef ?? null, reason: body.reason ?? null });
  }

  private send(unitId: string, context: CommandContext, request: UnitRequest): Promise<CommandResponse> {
    return this.commands.execute(new UnitCommandMessage(unitId, request, context));
  }
}

/** A structural change takes effect on the given date, or on the day it is recorded (Vietnam local). */
function dateOr(effectiveOn: string | undefined, context: CommandContext) {
  return effectiveOn ? asLocalDate(effectiveOn) : localDateOf(context.now);
}
