import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiCommand, ApiProtected, ProblemCodes } from '../openapi/api-docs';
import { CommandBus } from '@nestjs/cqrs';
import { asLocalDate } from '@app/domain';
import { CommandContext } from '@app/event-store';
import { CommandResponse } from '../common/command-response';
import { IdParamPipe } from '../common/id-param.pipe';
import { Command } from '../common/request-context';
import { ChangeProgramRulesCommand } from './commands/change-program-rules';
import { LaunchProgramCommand } from './commands/launch-program';
import { LaunchProgramDto } from './dto/launch-program.dto';
import { AmendPhaseDto, ChangeCountingRuleDto, ChangeEligibilityDto } from './dto/rule-change.dto';

const RULE_CHANGE_PROBLEMS: ProblemCodes = { 404: ['PROGRAM_NOT_FOUND', 'PHASE_NOT_FOUND'], 409: ['CONCURRENT_MODIFICATION'], 422: ['PHASES_OVERLAP', 'PHASE_ID_DUPLICATED', 'PHASE_OUTSIDE_PROGRAM', 'PROGRAM_HAS_NO_PHASE', 'DATE_RANGE_REVERSED', 'COUNTING_RULE_INCONSISTENT'] };

@ApiTags('programs')
@ApiProtected()
@Controller('programs')
export class ProgramsController {
  constructor(private readonly commands: CommandBus) {}

  @ApiCommand({ summary: 'Launch a programme', problems: { 409: ['PROGRAM_ALREADY_EXISTS', 'CONCURRENT_MODIFICATION'], 422: ['PHASES_OVERLAP', 'PHASE_ID_DUPLICATED', 'PHASE_OUTSIDE_PROGRAM', 'PROGRAM_HAS_NO_PHASE', 'DATE_RANGE_REVERSED', 'COUNTING_RULE_INCONSISTENT'] } })
  @Post()
  launch(@Body() body: LaunchProgramDto, @Command() context: CommandContext): Promise<CommandResponse> {
    return this.commands.execute(new LaunchProgramCommand(body, context));
  }

  @ApiCommand({ summary: "Amend a phase's dates and target", status: 200, problems: RULE_CHANGE_PROBLEMS })
  @Post(':id/phases/:phaseId/amend')
  @HttpCode(200)
  amendPhase(
    @Param('id', IdParamPipe) id: string,
    @Param('phaseId', IdParamPipe) phaseId: string,
    @Body() body: AmendPhaseDto,
    @Command() context: CommandContext,
  ): Promise<CommandResponse> {
    const { from, to, targetPercent, documentRef } = body;
    return this.commands.execute(
      new ChangeProgramRulesCommand(id, { type: 'AmendPhase', phaseId, from: asLocalDate(from), to: asLocalDate(to), targetPercent, documentRef }, context),
    );
  }

  @ApiCommand({ summary: 'Change the counting rule', status: 200, problems: RULE_CHANGE_PROBLEMS })
  @Post(':id/counting-rule')
  @HttpCode(200)
  changeCountingRule(@Param('id', IdParamPipe) id: string, @Body() body: ChangeCountingRuleDto, @Command() context: CommandContext): Promise<CommandResponse> {
    const { basis, date, documentRef } = body;
    return this.commands.execute(new ChangeProgramRulesCommand(id, { type: 'ChangeCountingRule', basis, date, documentRef }, context));
  }

  @ApiCommand({ summary: 'Change the eligibility window', status: 200, problems: RULE_CHANGE_PROBLEMS })
  @Post(':id/eligibility')
  @HttpCode(200)
  changeEligibility(@Param('id', IdParamPipe) id: string, @Body() body: ChangeEligibilityDto, @Command() context: CommandContext): Promise<CommandResponse> {
    const { from, to, documentRef } = body;
    return this.commands.execute(
      new ChangeProgramRulesCommand(id, { type: 'ChangeEligibilityWindow', from: asLocalDate(from), to: asLocalDate(to), documentRef }, context),
    );
  }
}
