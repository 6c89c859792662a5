import { EventStore, ReadAllOptions } from '@app/event-store';

/**
 * The event store, noting where each read of the log (`readAll`) starts: a projection carried on
 * from a saved state reads only after it. Reads of a few types alone (`only`: which reads count)
 * can be left out.
 */
export function logReads(events: EventStore, only: (options: ReadAllOptions) => boolean = () => true): { events: EventStore; readsFrom: bigint[] } {
  const readsFrom: bigint[] = [];
  const proxy = new Proxy(events, {
    get: (target, prop) => {
      if (prop === 'readAll') {
        return (options: ReadAllOptions = {}) => {
          if (only(options)) readsFrom.push(options.after ?? 0n);
          return target.readAll(options);
        };
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { events: proxy, readsFrom };
}
