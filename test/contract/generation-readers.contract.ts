import { setTimeout as sleep } from 'node:timers/promises';
import { ReadModelGenerations } from '@app/read-models';

/**
 * What every adapter keeps of the readers (processes reading a generation beside the writer): the
 * writer drops no generation a reader heard from recently still reads.
 */
export function describeGenerationReadersContract(name: string, open: () => Promise<ReadModelGenerations>): void {
  describe(`generation readers contract: ${name}`, () => {
    it('answers each generation read, once, in order; a reader that moves or leaves no longer holds its old one', async () => {
      const generations = await open();
      expect(await generations.generationsRead(60_000)).toEqual([]);
      expect(await generations.reading('api-1', 3)).toBe(true);
      await generations.reading('api-2', 2);
      await generations.reading('api-3', 3);
      expect(await generations.generationsRead(60_000)).toEqual([2, 3]);
      await generations.reading('api-2', 3);
      expect(await generations.generationsRead(60_000)).toEqual([3]);
      await generations.left('api-1');
      await generations.left('api-3');
      await generations.reading('api-2', 4);
      expect(await generations.generationsRead(60_000)).toEqual([4]);
      await generations.left('api-2');
      expect(await generations.generationsRead(60_000)).toEqual([]);
    });

    it('forgets a reader not heard from within the window; its next heartbeat counts again', async () => {
      const generations = await open();
      await generations.reading('gone', 1);
      await sleep(60);
      await generations.reading('alive', 2);
      expect(await generations.generationsRead(40)).toEqual([2]);
      expect(await generations.generationsRead(60_000)).toEqual([2]);
      await generations.reading('gone', 1);
      expect(await generations.generationsRead(60_000)).toEqual([1, 2]);
    });
  });
}
