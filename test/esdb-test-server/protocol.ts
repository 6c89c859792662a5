/**
 * The wire vocabulary: the message classes and service definitions generated inside
 * @eventstore/db-client (so the server speaks exactly the protocol the official client was built
 * against), plus the conversions every handler needs.
 */
import { Any } from 'google-protobuf/google/protobuf/any_pb';
import { Empty as GoogleEmpty } from 'google-protobuf/google/protobuf/empty_pb';
import * as shared from '@eventstore/db-client/generated/shared_pb';
import * as streams from '@eventstore/db-client/generated/streams_pb';
import * as status from '@eventstore/db-client/generated/status_pb';
import { Code as RpcCode } from '@eventstore/db-client/generated/code_pb';
import * as serverFeatures from '@eventstore/db-client/generated/serverfeatures_pb';
import * as gossip from '@eventstore/db-client/generated/gossip_pb';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import { ServerFeaturesService } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import { GossipService } from '@eventstore/db-client/generated/gossip_grpc_pb';

export { Any, GoogleEmpty, RpcCode, shared, streams, status, serverFeatures, gossip };
export { StreamsService, ServerFeaturesService, GossipService };

/** The server answers in the UUID form the reader asked for (ReadReq.Options.UUIDOption). */
export type UuidForm = 'string' | 'structured';

export function uuidToString(uuid: shared.UUID | undefined): string {
  if (!uuid) throw new Error('missing UUID');
  if (uuid.hasStructured()) {
    const structured = uuid.getStructured()!;
    const bytes = Buffer.alloc(16);
    bytes.writeBigUInt64BE(BigInt.asUintN(64, BigInt(structured.getMostSignificantBits())), 0);
    bytes.writeBigUInt64BE(BigInt.asUintN(64, BigInt(structured.getLeastSignificantBits())), 8);
    const hex = bytes.toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
  return uuid.getString().toLowerCase();
}

export function uuidMessage(id: string, form: UuidForm): shared.UUID {
  const uuid = new shared.UUID();
  if (form === 'string') return uuid.setString(id);
  const bytes = Buffer.from(id.replace(/-/g, ''), 'hex');
  const structured = new shared.UUID.Structured()
    .setMostSignificantBits(BigInt.asIntN(64, bytes.readBigUInt64BE(0)).toString())
    .setLeastSignificantBits(BigInt.asIntN(64, bytes.readBigUInt64BE(8)).toString());
  return uuid.setStructured(structured);
}

export function streamName(identifier: shared.StreamIdentifier | undefined): string {
  if (!identifier) throw new Error('missing stream identifier');
  return Buffer.from(identifier.getStreamName_asU8()).toString('utf8');
}

export function streamIdentifier(name: string): shared.StreamIdentifier {
  return new shared.StreamIdentifier().setStreamName(Buffer.from(name, 'utf8'));
}

/** Packs a detail message into a google.protobuf.Any the way the .NET server's Any.Pack names it. */
export function packAny(message: { serializeBinary(): Uint8Array }, typeName: string): Any {
  const any = new Any();
  any.pack(message.serializeBinary(), typeName);
  return any;
}
