import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiCommand, ApiProtected, ProblemCodes } from '../openapi/api-docs';
import { CommandBus } from '@nestjs/cqrs';
import { asLocalDate, DEFAULT_COUNTING_RULE, ProgramCommand } from '@app/domain';
import { CommandContext } from '@app/event-store';
import { CommandResponse } from '../common/command-response';
import { IdParamPipe } from '../common/id-param.pipe';
import { Command } from '../common/request-context';
import { ProgramCommandMessage } from './commands/program-command';
import { LaunchProgramDto } from './dto/launch-program.dto';
import { AmendPhaseDto, ChangeCountingRuleDto, ChangeEligibilityDto } from './dto/rule-change.dto';
import { AdminOnly } from '../auth/access-rule';

const RULE_CHANGE_PROBLEMS: ProblemCodes = { 404: ['PROGRAM_NOT_FOUND', 'PHASE_NOT_FOUND'], 409: ['CONCURRENT_MODIFICATION'], 422: ['PHASES_OVERLAP', 'PHASE_ID_DUPLICATED', 'PHASE_OUTSIDE_PROGRAM', 'PROGRAM_HAS_NO_PHASE', 'DATE_RANGE_REVERSED', 'COUNTING_RULE_INCONSISTENT'] };

@ApiTags('programs')
@ApiProtected()
@Controller('programs')
export class ProgramsController {
  constructor(private readonly commands: CommandBus) {}

  @ApiCommand({ summary: 'Launch a programme', problems: { 409: ['PROGRAM_ALREADY_EXISTS', 'CONCURRENT_MODIFICATION'], 422: ['PHASES_OVERLAP', 'PHASE_ID_DUPLICATED', 'PHASE_OUTSIDE_PROGRAM', 'PROGRAM_HAS_NO_PHASE', 'DATE_RANGE_REVERSED', 'COUNTING_RULE_INCONSISTENT'] } })
  @Post()
  @AdminOnly()
  launch(@Body() body: LaunchProgramDto, @Command() context: CommandContext): Promise<CommandResponse> {
    return this.send(body.id, context, {
      type: 'LaunchProgram',
      programId: body.id,
      name: body.name.trim(),
      period: body.from && body.to ? { from: asLocalDate(body.from), to: asLocalDate(body.to) } : null,
      eligibility: { from: asLocalDate(body.eligibility.from), to: asLocalDate(body.eligibility.to) },
      phases: body.phases.map((p) => ({ id: p.id, name: p.name.trim(), from: asLocalDate(p.from), to: asLocalDate(p.to), targetPercent: p.targetPercent })),
      targetPercent: body.targetPercent,
      countingRule: body.countingRule ? { basis: body.countingRule.basis, date: body.countingRule.date } : DEFAULT_COUNTING_RULE,
      documentRef: body.documentRef ?? null,
    });
  }

  @ApiCommand({ summary: "Amend a phase's dates and target", status: 200, problems: RULE_CHANGE_PROBLEMS })
  @Post(':id/phases/:phaseId/amend')
  @AdminOnly()
  @HttpCode(200)
  amendPhase(
    @Param('id', IdParamPipe) id: string,
    @Param('phaseId', IdParamPipe) phaseId: string,
    @Body() body: AmendPhaseDto,
    @Command() context: CommandContext,
  ): Promise<CommandResponse> {
    const { from, to, targetPercent, documentRef } = body;
    return this.send(id, context, { type: 'AmendPhase', phaseId, from: asLocalDate(from), to: asLocalDate(to), targetPercent, documentRef });
  }

  @ApiCommand({ summary: 'Change the counting rule', status: 200, problems: RULE_CHANGE_PROBLEMS })
  @Post(':id/counting-rule')
  @AdminOnly()
  @HttpCode(200)
  changeCountingRule(@Param('id', IdParamPipe) id: string, @Body() body: ChangeCountingRuleDto, @Command() context: CommandContext): Promise<CommandResponse> {
    const { basis, date, documentRef } = body;
    return this.send(id, context, { type: 'ChangeCountingRule', basis, date, documentRef });
  }

  @ApiCommand({ summary: 'Change the eligibility window', status: 200, problems: RULE_CHANGE_PROBLEMS })
  @Post(':id/eligibility')
  @AdminOnly()
  @HttpCode(200)
  changeEligibility(@Param('id', IdParamPipe) id: string, @Body() body: ChangeEligibilityDto, @Command() context: CommandContext): Promise<CommandResponse> {
    const { from, to, documentRef } = body;
    return this.send(id, context, { type: 'ChangeEligibilityWindow', from: asLocalDate(from), to: asLocalDate(to), documentRef });
  }

  private send(programId: string, context: CommandContext, command: ProgramCommand): Promise<CommandResponse> {
    return this.commands.execute(new ProgramCommandMessage(programId, command, context));
  }
}
