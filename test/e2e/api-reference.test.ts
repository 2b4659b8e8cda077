/**
 * The API reference a developer opens at `GET /docs`, in headless Chromium: it renders the
 * sandbox's OpenAPI document, lists every declared operation, and loads nothing from anywhere but
 * the sandbox (the machine may be offline).
 */
import type { Browser } from 'playwright-core';
import { operations } from '../../lib/openapi/operations.js';
import { baseUrl } from './support/api-client.js';
import { describeInBrowser, launchChromium } from './support/browser.js';

describeInBrowser('api-reference.test.ts')('the API reference at GET /docs', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('lists every operation, loading everything from the sandbox itself', async () => {
    const page = await browser.newPage();
    const hosts = new Set<string>();
    page.on('request', (request) => hosts.add(new URL(request.url()).host));
    await page.goto(`${baseUrl()}/docs`);
    await page.waitForSelector('text=Multi-tenant commerce API');

    const summaries = Object.values(operations).map((operation) => operation.summary);
    let missing = summaries;
    // The reference renders sections as they scroll into view.
    for (let attempt = 0; attempt < 10 && missing.length > 0; attempt += 1) {
      await page.keyboard.press('End');
      await page.waitForTimeout(300);
      const text = await page.evaluate('document.body.innerText');
      missing = summaries.filter((summary) => !String(text).includes(summary));
    }
    await page.close();

    expect(missing).toEqual([]);
    expect([...hosts]).toEqual([new URL(baseUrl()).host]);
  });
});
