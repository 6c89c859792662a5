import { Body, Controller, Get, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../auth/access-rule';
import { ApiAdmin, ApiCommand, ApiProtected } from '../openapi/api-docs';
import { AccessListingDto, ErasureAnswerDto } from '../integrity/dto/integrity-answers.dto';
import { DomainError, isMemberNo } from '@app/domain';
import { CommandContext, EVENT_STORE } from '@app/event-store';
import { AccessListing, accessListing, Erasures, ErasureTarget, PersonalDataEventStore } from '@app/personal-data';
import { NothingPipe } from '../common/nothing.pipe';
import { ProblemException } from '../common/problem';
import { validationProblem } from '../common/problem.filter';
import { Command } from '../common/request-context';
import { ErasureDto } from './erasure.dto';

export interface ErasureResponse {
  id: string;
  position: string;
  initiatives: string[];
}

/** Data-protection requests: erasure (crypto-shredding of a person's key) and access. */
@ApiTags('personal data')
@ApiProtected()
@Controller('admin/personal-data')
export class PersonalDataController {
  private readonly erasures: Erasures;

  constructor(@Inject(EVENT_STORE) private readonly store: PersonalDataEventStore) {
    this.erasures = new Erasures(store);
  }

  @ApiCommand({ summary: "Erase a person's personal data (their key is destroyed; counts stay)", response: ErasureAnswerDto, problems: { 404: ['PERSONAL_DATA_NOT_FOUND'] } })
  @Post('erasures')
  @AdminOnly()
  async erase(@Body() body: ErasureDto, @Command() context: CommandContext): Promise<ErasureResponse> {
    const result = await this.erasures.erase({
      target: targetOf(body),
      documentRef: body.documentRef,
      reason: body.reason,
      metadata: { actor: context.actor, recordedAt: context.now, correlationId: context.correlationId, causationId: context.causationId, commandId: context.commandId, schemaVersion: 1 },
    });
    if (!result) {
      throw new DomainError('PERSONAL_DATA_NOT_FOUND', 'Nothing is held about this person: never recorded, or already erased', 'not_found');
    }
    return { id: result.erasureId, position: result.position.toString(), initiatives: result.initiativeIds };
  }

  @ApiAdmin({ summary: 'Everything held about a union member (right of access)', response: AccessListingDto })
  @Get(':memberNo')
  @AdminOnly()
  access(@Param('memberNo') memberNo: string, @Query(NothingPipe) _: undefined): Promise<AccessListing> {
    if (!isMemberNo(memberNo)) throw new ProblemException(validationProblem([{ field: 'path:memberNo', message: 'must be a union card number of 1–32 letters, digits or "-"' }]));
    return accessListing(this.store, memberNo);
  }
}

function targetOf(body: ErasureDto): ErasureTarget {
  if (body.memberNo !== undefined && body.initiativeId === undefined && body.author === undefined) return { memberNo: body.memberNo };
  if (body.memberNo === undefined && body.initiativeId !== undefined && body.author !== undefined) return { initiativeId: body.initiativeId, author: body.author.trim() };
  throw new ProblemException(
    validationProblem([{ field: 'memberNo', message: 'give either memberNo, or initiativeId and author (a name recorded without a member number)' }]),
  );
}
