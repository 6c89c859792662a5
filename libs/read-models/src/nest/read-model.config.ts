import type { Environment } from '@app/config';

export type ReadModelConfig = { kind: 'memory' } | { kind: 'mongo'; url: string; database: string };

export interface ProjectorConfig {
  /** Run the projector inside this process (the embedded default) or leave it to apps/projector. */
  embedded: boolean;
}

/**
 * READ_MODEL=memory|mongo picks where the read models live; MONGO_URL alone implies mongo. With
 * nothing set they are in memory, rebuilt from the event log at start. PROJECTOR=off leaves the
 * projection to a separate process (docker-compose runs apps/projector).
 */
export function readModelConfigFromEnv(env: Pick<Environment, 'READ_MODEL' | 'MONGO_URL' | 'MONGO_DB' | 'PROJECTOR'>): { readModel: ReadModelConfig; projector: ProjectorConfig } {
  const kind = env.READ_MODEL ?? (env.MONGO_URL ? 'mongo' : 'memory');
  const projector = { embedded: (env.PROJECTOR ?? 'embedded') !== 'off' };
  if (kind === 'memory') {
    if (!projector.embedded) throw new Error('READ_MODEL=memory needs the embedded projector (PROJECTOR=off is for a shared MongoDB)');
    return { readModel: { kind }, projector };
  }
  if (!env.MONGO_URL) throw new Error('READ_MODEL=mongo needs MONGO_URL (e.g. mongodb://localhost:27017)');
  return { readModel: { kind, url: env.MONGO_URL, database: env.MONGO_DB ?? 'one_million_initiatives' }, projector };
}
