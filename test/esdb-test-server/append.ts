/**
 * Streams.Append: a client stream of one options message then the proposed events, answered with
 * one AppendResp. Since 21.x a wrong expected version is an ordinary response
 * (`wrong_expected_version`), not an RPC error; the client turns it into its
 * WrongExpectedVersionError. Older clients and servers used an RpcException; not emulated.
 */
import { sendUnaryData, ServerReadableStream } from '@grpc/grpc-js';
import { EventLog, ExpectedVersion, ProposedEvent } from './event-log';
import { shared, streamName, streams } from './protocol';
import { MissingMetadataError, proposedEvent } from './proposed-events';

export function appendHandler(log: EventLog) {
  return (call: ServerReadableStream<streams.AppendReq, streams.AppendResp>, callback: sendUnaryData<streams.AppendResp>) => {
    let options: streams.AppendReq.Options | undefined;
    const events: ProposedEvent[] = [];
    let failed = false;
    const fail = (error: Parameters<sendUnaryData<streams.AppendResp>>[0]) => {
      if (failed) return;
      failed = true;
      callback(error);
    };

    call.on('data', (request: streams.AppendReq) => {
      if (failed) return;
      try {
        if (!options) {
          if (!request.hasOptions()) throw new Error('the first message of an append must be its options');
          options = request.getOptions()!;
        } else {
          events.push(proposedEvent(request.getProposedMessage()!));
        }
      } catch (error) {
        fail(error instanceof MissingMetadataError ? error.toStatus() : (error as Error));
      }
    });
    call.on('error', () => (failed = true));
    call.on('end', () => {
      if (failed) return;
      if (!options) return fail(new Error('an append needs its options'));
      const stream = streamName(options.getStreamIdentifier());
      const expected = expectedVersion(options);
      const outcome = log.append(stream, expected, events);
      const response = new streams.AppendResp();
      if (outcome.kind === 'success') {
        const success = new streams.AppendResp.Success();
        if (outcome.currentRevision === undefined) success.setNoStream(new shared.Empty());
        else success.setCurrentRevision(outcome.currentRevision.toString());
        if (outcome.position === undefined) success.setNoPosition(new shared.Empty());
        else {
          const position = outcome.position.toString();
          success.setPosition(new streams.AppendResp.Position().setCommitPosition(position).setPreparePosition(position));
        }
        response.setSuccess(success);
      } else {
        const wrong = new streams.AppendResp.WrongExpectedVersion();
        if (outcome.currentRevision === undefined) wrong.setCurrentNoStream(new shared.Empty());
        else wrong.setCurrentRevision(outcome.currentRevision.toString());
        if (options.hasAny()) wrong.setExpectedAny(new shared.Empty());
        else if (options.hasStreamExists()) wrong.setExpectedStreamExists(new shared.Empty());
        // The 22.x server put no_stream into expected_revision as 2^64-1; the proto's own field for it is used here.
        else if (options.hasNoStream()) wrong.setExpectedNoStream(new shared.Empty());
        else wrong.setExpectedRevision(options.getRevision());
        response.setWrongExpectedVersion(wrong);
      }
      callback(null, response);
    });
  };
}

function expectedVersion(options: streams.AppendReq.Options): bigint {
  if (options.hasRevision()) return BigInt(options.getRevision());
  if (options.hasNoStream()) return ExpectedVersion.NoStream;
  if (options.hasStreamExists()) return ExpectedVersion.StreamExists;
  return ExpectedVersion.Any;
}
