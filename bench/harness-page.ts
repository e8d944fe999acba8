import type { Page } from '@playwright/test';

/** Loads the test harness in `page` and waits until its modules are ready to be called. */
export async function openHarness(page: Page, url: string): Promise<Page> {
  await page.goto(url);
  await page.locator('#status', { hasText: 'ready' }).waitFor();
  return page;
}
