import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiCommand, ApiProtected } from '../openapi/api-docs';
import { CommandBus } from '@nestjs/cqrs';
import { CommandContext } from '@app/event-store';
import { CommandResponse } from '../common/command-response';
import { IdParamPipe } from '../common/id-param.pipe';
import { Command } from '../common/request-context';
import { AssignQuotaCommand } from './assign-quota';
import { AssignQuotaDto } from './assign-quota.dto';
import { Allow, beneathUnitInBody } from '../auth/access-rule';

@ApiTags('quotas')
@ApiProtected()
@Controller('programs/:programId/quotas')
export class QuotasController {
  constructor(private readonly commands: CommandBus) {}

  @ApiCommand({ summary: 'Assign a quota to a unit for a phase or the whole programme', problems: { 404: ['PROGRAM_NOT_FOUND', 'UNIT_NOT_FOUND', 'PHASE_NOT_FOUND'], 409: ['CONCURRENT_MODIFICATION'], 422: ['QUOTA_INVALID', 'UNIT_NOT_ACTIVE'] } })
  @Post()
  @Allow(['officer'], beneathUnitInBody('unitId'))
  assign(@Param('programId', IdParamPipe) programId: string, @Body() body: AssignQuotaDto, @Command() context: CommandContext): Promise<CommandResponse> {
    const { unitId, phaseId, quota, documentRef, assignedByUnitId } = body;
    return this.commands.execute(
      new AssignQuotaCommand({ type: 'AssignQuota', programId, unitId, phaseId: phaseId ?? null, quota, documentRef, assignedByUnitId: assignedByUnitId ?? null }, context),
    );
  }
}
