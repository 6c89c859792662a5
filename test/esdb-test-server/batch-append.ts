/**
 * Streams.BatchAppend (servers from 21.10, used by the client when ServerFeatures lists it): one
 * long-lived bidirectional stream carrying many appends, each identified by a correlation id, sent
 * as one or more requests (options first, `is_final` last) and answered by one response with that
 * correlation id. Failures are google.rpc.Status values whose `details` pack the protocol's detail
 * message (e.g. event_store.client.WrongExpectedVersion), as the server's Status helpers build them.
 */
import { ServerDuplexStream } from '@grpc/grpc-js';
import { EventLog, ExpectedVersion, ProposedEvent } from './event-log';
import { GoogleEmpty, packAny, RpcCode, shared, status, streamIdentifier, streamName, streams, uuidToString } from './protocol';
import { proposedEvent } from './proposed-events';

interface PendingAppend {
  correlationId: shared.UUID;
  options: streams.BatchAppendReq.Options;
  events: ProposedEvent[];
}

export function batchAppendHandler(log: EventLog) {
  return (call: ServerDuplexStream<streams.BatchAppendReq, streams.BatchAppendResp>) => {
    const pending = new Map<string, PendingAppend>();

    call.on('data', (request: streams.BatchAppendReq) => {
      const correlationId = request.getCorrelationId()!;
      const key = uuidToString(correlationId);
      if (request.hasOptions()) pending.set(key, { correlationId, options: request.getOptions()!, events: [] });
      const append = pending.get(key);
      if (!append) return;
      try {
        append.events.push(...request.getProposedMessagesList().map(proposedEvent));
      } catch (error) {
        pending.delete(key);
        call.write(failure(append, badRequest((error as Error).message)));
        return;
      }
      if (!request.getIsFinal()) return;
      pending.delete(key);
      call.write(answer(log, append));
    });
    // The client never ends this stream while it lives; it cancels it on dispose.
    call.on('end', () => call.end());
    call.on('error', () => pending.clear());
  };
}

function answer(log: EventLog, append: PendingAppend): streams.BatchAppendResp {
  const stream = streamName(append.options.getStreamIdentifier());
  const outcome = log.append(stream, expectedVersion(append.options), append.events);
  if (outcome.kind === 'wrong_expected_version') {
    const details = new shared.WrongExpectedVersion();
    if (outcome.currentRevision === undefined) details.setCurrentNoStream(new GoogleEmpty());
    else details.setCurrentStreamRevision(outcome.currentRevision.toString());
    const options = append.options;
    if (options.hasAny()) details.setExpectedAny(new GoogleEmpty());
    else if (options.hasStreamExists()) details.setExpectedStreamExists(new GoogleEmpty());
    else if (options.hasNoStream()) details.setExpectedNoStream(new GoogleEmpty());
    else details.setExpectedStreamPosition(options.getStreamPosition());
    const error = new status.Status()
      .setCode(RpcCode.ALREADY_EXISTS)
      .setMessage('WrongExpectedVersion')
      .setDetails(packAny(details, 'event_store.client.WrongExpectedVersion'));
    return failure(append, error);
  }

  const success = new streams.BatchAppendResp.Success();
  if (outcome.currentRevision === undefined) success.setNoStream(new GoogleEmpty());
  else success.setCurrentRevision(outcome.currentRevision.toString());
  if (outcome.position === undefined) success.setNoPosition(new GoogleEmpty());
  else {
    const position = outcome.position.toString();
    success.setPosition(new shared.AllStreamPosition().setCommitPosition(position).setPreparePosition(position));
  }
  return new streams.BatchAppendResp()
    .setCorrelationId(append.correlationId)
    .setStreamIdentifier(streamIdentifier(stream))
    .setSuccess(success);
}

function failure(append: PendingAppend, error: status.Status): streams.BatchAppendResp {
  return new streams.BatchAppendResp()
    .setCorrelationId(append.correlationId)
    .setStreamIdentifier(append.options.getStreamIdentifier())
    .setError(error);
}

function badRequest(message: string): status.Status {
  return new status.Status()
    .setCode(RpcCode.INVALID_ARGUMENT)
    .setMessage('BadRequest')
    .setDetails(packAny(new shared.BadRequest().setMessage(message), 'event_store.client.BadRequest'));
}

function expectedVersion(options: streams.BatchAppendReq.Options): bigint {
  if (options.hasStreamPosition()) return BigInt(options.getStreamPosition());
  if (options.hasNoStream()) return ExpectedVersion.NoStream;
  if (options.hasStreamExists()) return ExpectedVersion.StreamExists;
  return ExpectedVersion.Any;
}
