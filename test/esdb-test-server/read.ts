/**
 * Streams.Read routes by what is read (a stream or $all) and how (a bounded read or a
 * subscription), as the server's Read does. Combinations the server rejects (a filter on a stream)
 * are refused with INVALID_ARGUMENT.
 */
import { ServerWritableStream, status as grpcStatus } from '@grpc/grpc-js';
import { EventLog } from './event-log';
import { streams } from './protocol';
import { readAll } from './read-all';
import { readStream } from './read-stream';
import { ResponseWriter } from './response-writer';
import { subscribe, SubscriptionFeatures } from './subscription';

export function readHandler(log: EventLog, features: SubscriptionFeatures) {
  return (call: ServerWritableStream<streams.ReadReq, streams.ReadResp>) => {
    const out = new ResponseWriter(call);
    const options = call.request.getOptions();
    const read = async () => {
      if (!options || (!options.hasStream() && !options.hasAll())) throw new Error('a read needs a stream or $all');
      if (options.hasSubscription()) return subscribe(log, options, out, features);
      if (options.hasStream() && options.hasFilter()) throw new Error('filters apply to $all only');
      return options.hasStream() ? readStream(log, options, out) : readAll(log, options, out);
    };
    read().then(
      () => out.end(),
      (error: Error) => {
        if (!out.cancelled) call.emit('error', { code: grpcStatus.INVALID_ARGUMENT, details: error.message });
      },
    );
  };
}
