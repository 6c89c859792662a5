/**
 * How many turns of the event loop other work got while `work` ran, with what it answered: the
 * tests of long walks (the log, a plan, a large write) ask that the service answers meanwhile.
 */
export async function turnsDuring<T>(work: () => Promise<T>): Promise<{ turns: number; result: T }> {
  let turns = 0;
  let running = true;
  const tick = () => {
    if (!running) return;
    turns += 1;
    setImmediate(tick);
  };
  setImmediate(tick);
  try {
    const result = await work();
    return { turns, result };
  } finally {
    running = false;
  }
}
