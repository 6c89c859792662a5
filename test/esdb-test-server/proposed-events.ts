/**
 * What a writer proposes: the event messages of Streams.Append and Streams.BatchAppend, checked as
 * the server checks them (an event needs the `type` and `content-type` metadata entries).
 */
import { Metadata, status as grpcStatus, StatusObject } from '@grpc/grpc-js';
import { ProposedEvent } from './event-log';
import { streams, uuidToString } from './protocol';

type ProposedMessage = streams.AppendReq.ProposedMessage | streams.BatchAppendReq.ProposedMessage;

const REQUIRED_METADATA = ['type', 'content-type'] as const;

export class MissingMetadataError extends Error {
  constructor(readonly property: string) {
    super(`Required Metadata Property '${property}' is missing`);
  }

  /** RpcExceptions.RequiredMetadataPropertyMissing: the client raises RequiredMetadataPropertyMissingError. */
  toStatus(): Partial<StatusObject> {
    const metadata = new Metadata();
    metadata.set('exception', 'missing-required-metadata-property');
    metadata.set('required-metadata-properties', REQUIRED_METADATA.join(','));
    return { code: grpcStatus.INVALID_ARGUMENT, details: this.message, metadata };
  }
}

export function proposedEvent(message: ProposedMessage): ProposedEvent {
  const entries = message.getMetadataMap();
  for (const property of REQUIRED_METADATA) {
    if (!entries.has(property)) throw new MissingMetadataError(property);
  }
  return {
    id: uuidToString(message.getId()),
    type: entries.get('type')!,
    contentType: entries.get('content-type')!,
    data: message.getData_asU8(),
    metadata: message.getCustomMetadata_asU8(),
  };
}
