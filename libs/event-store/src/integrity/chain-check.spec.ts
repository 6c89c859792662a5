import { InvalidEnvironmentError, validateEnvironment } from '@app/config';
import { onBrokenChainFromEnv } from './chain-check';

/** REBUILD_ON_BROKEN_CHAIN: what the operator sets is what a rebuild that meets a broken chain does. */
describe('What a rebuild does on a broken hash chain', () => {
  it('refuses to switch unless told to report', () => {
    expect(onBrokenChainFromEnv(validateEnvironment({}))).toBe('refuse');
    expect(onBrokenChainFromEnv(validateEnvironment({ REBUILD_ON_BROKEN_CHAIN: '' }))).toBe('refuse');
    expect(onBrokenChainFromEnv(validateEnvironment({ REBUILD_ON_BROKEN_CHAIN: 'refuse' }))).toBe('refuse');
    expect(onBrokenChainFromEnv(validateEnvironment({ REBUILD_ON_BROKEN_CHAIN: 'report' }))).toBe('report');
  });

  it('names a value it does not know rather than guessing', () => {
    expect(() => validateEnvironment({ REBUILD_ON_BROKEN_CHAIN: 'ignore' })).toThrow(InvalidEnvironmentError);
    expect(() => validateEnvironment({ REBUILD_ON_BROKEN_CHAIN: 'ignore' })).toThrow(/REBUILD_ON_BROKEN_CHAIN must be "refuse" or "report"/);
  });
});
