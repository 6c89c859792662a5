import { MemoryReadModelStore } from '@app/read-models';
import { describeReadModelStoreContract } from './read-model-store.contract';

describeReadModelStoreContract('in memory', async () => new MemoryReadModelStore());
