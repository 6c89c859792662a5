import { EventStore, SubscribeToAllOptions, Subscription } from './event-store.port';

const BATCH = 500;
/** Fallback wake-up for writers in another process, which emit no in-process notification. */
const IDLE_POLL_MS = 200;

/**
 * A catch-up subscription for stores without a native one: reads the log in batches after the
 * last delivered position, then waits for a wake-up (an in-process append or the idle timer).
 */
export function pollingSubscription(
  store: Pick<EventStore, 'readAll'>,
  options: SubscribeToAllOptions,
  listen: (wake: () => void) => () => void,
): Subscription {
  let stopped = false;
  let caughtUpReported = false;
  let after = options.after ?? 0n;
  let wake: () => void = () => undefined;
  const unlisten = listen(() => wake());

  const idle = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, IDLE_POLL_MS);
      function done() {
        clearTimeout(timer);
        wake = () => undefined;
        resolve();
      }
      wake = done;
    });

  const loop = (async () => {
    while (!stopped) {
      const batch = await store.readAll({ after, maxCount: BATCH, eventTypes: options.eventTypes });
      for (const event of batch) {
        if (stopped) return;
        await options.onEvent(event);
        after = event.position;
      }
      // A synchronous store (better-sqlite3) resolves at once: without a turn of the event loop per
      // batch, catching up with a long log would starve every request the process serves.
      await new Promise((resolve) => setImmediate(resolve));
      if (batch.length > 0) caughtUpReported = false;
      if (batch.length < BATCH && !stopped) {
        if (!caughtUpReported) {
          caughtUpReported = true;
          await options.onCaughtUp?.(after === 0n ? undefined : after);
        }
        if (!stopped) await idle();
      }
    }
  })().catch((error: unknown) => {
    stopped = true;
    options.onError?.(error instanceof Error ? error : new Error(String(error)));
  });

  return {
    async stop() {
      stopped = true;
      wake();
      unlisten();
      await loop;
    },
  };
}
