import { join, resolve } from 'node:path';
import { InvalidEnvironmentError, validateEnvironment } from '@app/config';
import { readModelConfigFromEnv } from './read-model.config';

describe('read-model configuration from the environment', () => {
  it('puts the read models in SQLite beside the events by default', () => {
    expect(readModelConfigFromEnv({}).readModel).toEqual({ kind: 'sqlite', path: resolve('./data/read-models.db') });
    expect(readModelConfigFromEnv({ SQLITE_PATH: '/srv/omi/events.db' }).readModel).toEqual({ kind: 'sqlite', path: '/srv/omi/read-models.db' });
    expect(readModelConfigFromEnv({ READ_MODEL_PATH: '/tmp/x/rm.db' }).readModel).toEqual({ kind: 'sqlite', path: join('/tmp/x', 'rm.db') });
  });

  it('takes memory and mongo when asked, and MONGO_URL alone implies mongo', () => {
    expect(readModelConfigFromEnv({ READ_MODEL: 'memory' }).readModel).toEqual({ kind: 'memory' });
    expect(readModelConfigFromEnv({ MONGO_URL: 'mongodb://db' }).readModel).toEqual({ kind: 'mongo', url: 'mongodb://db', database: 'one_million_initiatives' });
  });

  it('projects SQLite read models in a worker thread when the events are in SQLite too, unless told otherwise', () => {
    expect(readModelConfigFromEnv({}).projector).toEqual({ embedded: true, thread: true, threadHeapMb: 2000 });
    expect(readModelConfigFromEnv({ PROJECTOR_THREAD: 'main' }).projector).toEqual({ embedded: true, thread: false });
    expect(readModelConfigFromEnv({ ESDB_URL: 'esdb://localhost:2113?tls=false' }).projector).toEqual({ embedded: true, thread: false });
    expect(readModelConfigFromEnv({ READ_MODEL: 'memory' }).projector).toEqual({ embedded: true });
    expect(() => validateEnvironment({ PROJECTOR_THREAD: 'both' })).toThrow(/PROJECTOR_THREAD must be "worker" or "main"/);
  });

  it("bounds the projector thread's heap, by default under the 2 GB past which V8 lets a heap grow to four times what is live", () => {
    expect(readModelConfigFromEnv(validateEnvironment({ PROJECTOR_THREAD_HEAP_MB: '768' })).projector).toEqual({ embedded: true, thread: true, threadHeapMb: 768 });
    for (const wrong of ['100', '70000', '1.5', 'lots']) {
      expect(() => validateEnvironment({ PROJECTOR_THREAD_HEAP_MB: wrong })).toThrow(/PROJECTOR_THREAD_HEAP_MB must be an integer number of megabytes, 256–65536/);
    }
  });

  it('refuses an embedded store without the embedded projector, and unknown kinds', () => {
    expect(() => readModelConfigFromEnv({ PROJECTOR: 'off' })).toThrow(/READ_MODEL=sqlite needs the embedded projector/);
    expect(() => validateEnvironment({ READ_MODEL: 'redis' })).toThrow(InvalidEnvironmentError);
    expect(() => validateEnvironment({ READ_MODEL: 'redis' })).toThrow(/"sqlite", "memory" or "mongo"/);
  });
});
