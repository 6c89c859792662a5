/** Jest global teardown: stops what global-setup.ts started. */
import { stopTestServers } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  await stopTestServers();
}
