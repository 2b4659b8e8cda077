/**
 * A page on another origin calling the API from a real browser (Debian's headless Chromium driven
 * by playwright-core): what a web frontend does. The page on `http://localhost:<port>` creates a
 * product through the sandbox on 127.0.0.1, with a bearer token, a preflight and a JSON body, and
 * reads the answer's Location; a page on an origin the sandbox does not allow gets "Failed to
 * fetch". Offline only: the origins are the sandbox's defaults (see support/browser.ts).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { baseUrl, newIdentity } from './support/api-client.js';
import { describeInBrowser, launchChromium } from './support/browser.js';

const describeOffline = describeInBrowser('browser-cors.test.ts');

/** The frontend: one button's worth of code, reporting what the API answered or how fetch failed. */
const page = `<!doctype html><meta charset="utf-8"><title>shop</title><pre id="out">waiting</pre><script>
  const params = new URLSearchParams(location.search);
  fetch(params.get('api') + '/products', {
    method: 'POST',
    headers: { authorization: 'Bearer ' + params.get('token'), 'content-type': 'application/json', 'idempotency-key': 'k1' },
    body: JSON.stringify({ sku: 'WEB-' + Date.now(), name: 'Mug', priceCents: 900, currency: 'EUR', stock: 2 }),
  })
    .then(async (response) => ({ status: response.status, location: response.headers.get('location'), body: await response.json() }))
    .catch((error) => ({ error: String(error) }))
    .then((result) => { document.getElementById('out').textContent = JSON.stringify(result); });
</script>`;

async function servePage(host: string): Promise<{ server: Server; origin: string }> {
  const server = createServer((_, response) => {
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end(page);
  });
  await new Promise<void>((resolve) => server.listen(0, host === 'localhost' ? '127.0.0.1' : host, resolve));
  return { server, origin: `http://${host}:${(server.address() as AddressInfo).port}` };
}

describeOffline('a browser page on another origin', () => {
  let browser: Browser;
  const servers: Server[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    for (const server of servers) server.close();
  });

  async function resultFrom(host: string): Promise<Record<string, unknown>> {
    const { server, origin } = await servePage(host);
    servers.push(server);
    const { token } = await newIdentity('admin');
    const tab = await browser.newPage();
    await tab.goto(`${origin}/?api=${encodeURIComponent(baseUrl())}&token=${encodeURIComponent(token)}`);
    // A string: it runs in the page, whose DOM this file's compiler does not know.
    await tab.waitForFunction("document.getElementById('out').textContent !== 'waiting'");
    const text = (await tab.textContent('#out')) ?? '';
    await tab.close();
    return JSON.parse(text) as Record<string, unknown>;
  }

  it('creates a product from http://localhost and reads the answer and its Location', async () => {
    const result = await resultFrom('localhost');

    expect(result).toMatchObject({
      status: 201,
      location: expect.stringMatching(/^\/products\//),
      body: { name: 'Mug', priceCents: 900 },
    });
  });

  it('cannot call it from an origin the sandbox does not allow', async () => {
    const result = await resultFrom('127.0.0.2');

    expect(result).toEqual({ error: expect.stringContaining('Failed to fetch') });
  });
});
