import type { Environment } from '@app/config';
import { EventStore } from '../event-store.port';
import { BrokenLink, verifyLog } from './verify-chains';

/** What a rebuild does when the log it read has a broken hash chain: fail and keep the old generation live, or switch and say so. */
export type OnBrokenChain = 'refuse' | 'report';

export function onBrokenChainFromEnv(env: Pick<Environment, 'REBUILD_ON_BROKEN_CHAIN'>): OnBrokenChain {
  return env.REBUILD_ON_BROKEN_CHAIN ?? 'refuse';
}

/** The first broken link of the log's chains as one line, null when every chain holds. `store`: the events as stored. */
export async function findBrokenChain(store: EventStore): Promise<string | null> {
  const { firstBroken } = await verifyLog(store);
  return firstBroken ? describeBrokenLink(firstBroken) : null;
}

export function describeBrokenLink(link: BrokenLink): string {
  return `broken hash chain (${link.kind}) at stream ${link.stream}, revision ${link.revision}, position ${link.position}: ${link.detail}`;
}

/**
 * The read side's check before a rebuilt generation goes live: the rebuild read every event, so
 * every chain is walked too, and what broke is reported (and, with `refuse`, keeps the switch from
 * happening). Seals are checked by the integrity check, which holds the seal key; this needs none.
 */
export function chainCheckBeforeSwitch(
  store: EventStore,
  onBroken: OnBrokenChain,
  onFinding: (finding: string, refuse: boolean) => void,
): () => Promise<{ finding: string | null; refuse: boolean }> {
  return async () => {
    const finding = await findBrokenChain(store);
    const refuse = finding !== null && onBroken === 'refuse';
    if (finding) onFinding(finding, refuse);
    return { finding, refuse };
  };
}
