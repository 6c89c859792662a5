import { Locator } from 'playwright-core';

const TIMEOUT_MS = 10_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Retries a check until it passes or the time is up, then fails with the check's own last error. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = TIMEOUT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(50);
    }
  }
}

const text = async (locator: Locator) => ((await locator.first().textContent({ timeout: 1_000 })) ?? '').replace(/\s+/g, ' ').trim();

/**
 * What a user sees, asserted the way a page settles: each check waits for the page to get there
 * (playwright-core has Playwright's auto-waiting actions, not its test runner's web-first assertions).
 */
export const see = (locator: Locator, timeoutMs = TIMEOUT_MS) => ({
  toContainText: (expected: string | RegExp) => eventually(async () => expect(await text(locator)).toMatch(expected), timeoutMs),
  toHaveText: (expected: string) => eventually(async () => expect(await text(locator)).toBe(expected), timeoutMs),
  toHaveCount: (expected: number) => eventually(async () => expect(await locator.count()).toBe(expected), timeoutMs),
  toHaveAttribute: (name: string, expected: string) => eventually(async () => expect(await locator.first().getAttribute(name, { timeout: 1_000 })).toBe(expected), timeoutMs),
  toBeVisible: () => eventually(async () => expect(await locator.first().isVisible()).toBe(true), timeoutMs),
  toBeHidden: () => eventually(async () => expect(await locator.first().isVisible()).toBe(false), timeoutMs),
});
