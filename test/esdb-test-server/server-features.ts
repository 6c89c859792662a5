/**
 * ServerFeatures.GetSupportedMethods (servers from 21.10). The client asks once per connection,
 * before its first append, and uses BatchAppend only if it is listed; a server without this
 * service answers UNIMPLEMENTED and the client falls back to Streams.Append. Names are lower-cased
 * as the server lists them. Only what this server implements is listed, without the feature flags
 * of the real server (e.g. `deadline_duration` on BatchAppend), which the client does not read.
 */
import { sendUnaryData, ServerUnaryCall } from '@grpc/grpc-js';
import { serverFeatures, shared } from './protocol';

export const IMPLEMENTED_METHODS: readonly (readonly [service: string, method: string])[] = [
  ['event_store.client.streams.streams', 'read'],
  ['event_store.client.streams.streams', 'append'],
  ['event_store.client.streams.streams', 'batchappend'],
  ['event_store.client.server_features.serverfeatures', 'getsupportedmethods'],
  ['event_store.client.gossip.gossip', 'read'],
];

export function supportedMethodsHandler(serverVersion: string) {
  return (_call: ServerUnaryCall<shared.Empty, serverFeatures.SupportedMethods>, callback: sendUnaryData<serverFeatures.SupportedMethods>) => {
    const methods = IMPLEMENTED_METHODS.map(([service, method]) =>
      new serverFeatures.SupportedMethod().setServiceName(service).setMethodName(method),
    );
    callback(null, new serverFeatures.SupportedMethods().setMethodsList(methods).setEventStoreServerVersion(serverVersion));
  };
}
