import { MemoryGenerations, MemoryReadModelStore } from '@app/read-models';
import { describeGenerationReadersContract } from './generation-readers.contract';
import { describeReadModelStoreContract } from './read-model-store.contract';

describeReadModelStoreContract('in memory', async () => new MemoryReadModelStore());
describeGenerationReadersContract('in memory', async () => new MemoryGenerations());
