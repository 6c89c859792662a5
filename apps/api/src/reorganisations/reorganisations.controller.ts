import { Body, Controller, Get, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { notFound } from '@app/domain';
import { CommandContext } from '@app/event-store';
import { ApiAdmin, ApiProtected } from '../openapi/api-docs';
import { AdminOnly, Allow, AUDITORS, everywhere } from '../auth/access-rule';
import { IdParamPipe } from '../common/id-param.pipe';
import { NothingPipe } from '../common/nothing.pipe';
import { Command } from '../common/request-context';
import { ReorganisationDto } from './dto/reorganisation-answer.dto';
import { ReorganisationQueryDto, ReorganisationRequestDto } from './dto/reorganisation.dto';
import { ReorganisationAnswer, ReorganisationDecisions } from './reorganisation-decisions';
import { ReorganisationRunner } from './reorganisation-runner';

const PLAN_PROBLEMS = ['REORGANISATION_PLAN_INVALID'];

/** A reorganisation of the unit tree as one decision: validated whole, previewed, then carried out step by step. */
@ApiTags('admin')
@ApiProtected()
@Controller('admin/reorganisations')
export class ReorganisationsController {
  constructor(
    private readonly decisions: ReorganisationDecisions,
    private readonly runner: ReorganisationRunner,
  ) {}

  /** 202 when decided (poll GET /admin/reorganisations/{id}); 200 for a dry run, or for a decision submitted before (nothing written). */
  @ApiAdmin({
    summary: 'Decide a reorganisation: a document, an effective date and a plan (JSON steps or CSV); ?dryRun=true previews it',
    status: HttpStatus.ACCEPTED,
    response: ReorganisationDto,
    problems: { 409: ['REORGANISATION_ALREADY_DECIDED', 'CONCURRENT_MODIFICATION'], 413: ['PAYLOAD_TOO_LARGE', 'TOO_MANY_FIELDS'], 415: ['UNSUPPORTED_MEDIA_TYPE'], 422: PLAN_PROBLEMS, 503: ['READ_MODEL_BEHIND'] },
  })
  @ApiResponse({ status: HttpStatus.OK, description: 'A dry run (its preview), or the same decision submitted again', type: ReorganisationDto })
  @Post()
  @AdminOnly()
  async decide(
    @Body() body: ReorganisationRequestDto,
    @Query() query: ReorganisationQueryDto,
    @Command() context: CommandContext,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ReorganisationAnswer> {
    const answer = await this.decisions.submit(body, query.dryRun === 'true', context);
    response.status(answer.state === 'preview' || answer.alreadyDecided ? HttpStatus.OK : HttpStatus.ACCEPTED);
    return answer;
  }

  @ApiAdmin({ summary: 'A reorganisation: state, steps done, rate and ETA', response: ReorganisationDto, problems: { 404: ['REORGANISATION_NOT_FOUND'] } })
  @Get(':id')
  @Allow(AUDITORS, everywhere)
  async get(@Param('id', IdParamPipe) id: string, @Query(NothingPipe) _: undefined): Promise<ReorganisationAnswer> {
    const status = await this.runner.status(id);
    if (!status) throw notFound('Reorganisation', id);
    return { ...status, alreadyDecided: false, preview: null };
  }
}
