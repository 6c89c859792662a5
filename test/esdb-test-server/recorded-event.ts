/**
 * How a stored event goes on the wire in a ReadResp (Streams.Read's ConvertToReadEvent).
 * Stream reads carry the event's $all position too: servers from 22.6 on fill it for events not
 * written in explicit transactions (EventStore PR #3459); older ones sent 2^64-1 ("end").
 */
import { LogRecord } from './event-log';
import { streamIdentifier, streams, UuidForm, uuidMessage } from './protocol';

export function readEventResponse(record: LogRecord, uuidForm: UuidForm): streams.ReadResp {
  const recorded = new streams.ReadResp.ReadEvent.RecordedEvent()
    .setId(uuidMessage(record.id, uuidForm))
    .setStreamIdentifier(streamIdentifier(record.streamId))
    .setStreamRevision(record.revision.toString())
    .setCommitPosition(record.position.toString())
    .setPreparePosition(record.position.toString())
    .setData(record.data)
    .setCustomMetadata(record.metadata);
  recorded
    .getMetadataMap()
    .set('type', record.type)
    .set('created', record.created.toString())
    .set('content-type', record.contentType);
  const event = new streams.ReadResp.ReadEvent().setEvent(recorded).setCommitPosition(record.position.toString());
  return new streams.ReadResp().setEvent(event);
}

export function uuidFormOf(options: streams.ReadReq.Options): UuidForm {
  return options.getUuidOption()?.hasString() ? 'string' : 'structured';
}
