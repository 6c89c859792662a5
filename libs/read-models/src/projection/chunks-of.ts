/** The items in arrays of at most `n`, in order (a saved state's lines). */
export function* chunksOf<T>(items: Iterable<T>, n: number): Generator<T[]> {
  let chunk: T[] = [];
  for (const item of items) {
    chunk.push(item);
    if (chunk.length === n) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}
