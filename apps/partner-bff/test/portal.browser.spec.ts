// The callbacks given to page.evaluate / $eval run in the browser: DOM types for them.
/// <reference lib="dom" />
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { keyOf, startPartnerTestApp, type PartnerTestApp } from './partner-test-app';

/** Debian's chromium (installed by .ci/run). Skipped only on a developer machine without it; in CI it must be there. */
const CHROMIUM = '/usr/bin/chromium';
const RUN = existsSync(CHROMIUM) || Boolean(process.env['CI']);
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** Every wait in the browser is bounded by this; each test by twice as much. */
const STEP_MS = 15_000;

interface Watched {
  readonly page: Page;
  readonly consoleErrors: string[];
  cspViolations(): Promise<string[]>;
}

(RUN ? describe : describe.skip)('developer portal and /docs in headless Chromium', () => {
  let t: PartnerTestApp;
  let context: BrowserContext | undefined;
  let profile: string | undefined;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium (see .ci/run)`);
    t = await startPartnerTestApp();
    profile = mkdtempSync(join(tmpdir(), 'frontdoor-portal-chromium-'));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: ARGS, headless: true, timeout: 2 * STEP_MS });
  }, 4 * STEP_MS);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    if (profile) rmSync(profile, { recursive: true, force: true });
    await t?.close();
  }, 2 * STEP_MS);

  /** A new page that records console errors, uncaught exceptions and every CSP violation. */
  async function watchedPage(): Promise<Watched> {
    const page = await (context as BrowserContext).newPage();
    page.setDefaultTimeout(STEP_MS);
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { cspViolations: string[] }).cspViolations = seen;
      document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`));
    });
    return { page, consoleErrors, cspViolations: () => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations) };
  }

  const usageRows = async (page: Page) =>
    Object.fromEntries(await page.$$eval('#usage-table tr', (rows) => rows.map((row) => [row.querySelector('th')?.textContent ?? '', row.querySelector('td')?.textContent ?? ''])));

  it(
    "acme pastes its key and sees plan gold and today's usage, the numbers /v1/usage gives; both versions' operations are listed",
    async () => {
      const { page, consoleErrors, cspViolations } = await watchedPage();
      const res = await page.goto(`${t.base}/portal`);
      expect(res?.status()).toBe(200);
      await page.waitForSelector('#reference-v1 li');
      await page.waitForSelector('#reference-v2 li');
      const operations = async (version: string) => page.$$eval(`#reference-${version} li`, (items) => items.map((li) => li.textContent ?? ''));
      expect(await operations('v1')).toEqual(
        expect.arrayContaining(['GET /v1/products — The catalogue, paged', 'POST /v1/orders — Place an order for one of your customers (idempotent with Idempotency-Key)', 'GET /v1/usage — ' + "Your plan and today's usage against its limits"]),
      );
      expect(await operations('v2')).toEqual(expect.arrayContaining(['GET /v2/products — The catalogue, paged, with availability', 'GET /v2/orders/{id} — One of your orders']));

      await page.fill('#api-key', keyOf('acme'));
      await page.click('#show-usage');
      await page.waitForSelector('#usage-table');
      const shown = await usageRows(page);

      // the portal's own request counted; so does this one
      const api = (await (await t.as('acme', '/v1/usage')).json()) as Record<string, number | string>;
      expect(shown['Partner']).toBe('acme');
      expect(shown['Plan']).toBe('gold');
      expect(shown[`Used today (UTC ${api['day'] as string})`]).toBe(`${(api['used'] as number) - 1} of ${api['quota'] as number}`);
      expect(shown['Remaining today']).toBe(String((api['remaining'] as number) + 1));
      expect(shown['Rate limit']).toBe(`${api['perSecond'] as number} requests per second`);
      expect(await page.$eval('#usage meter', (m) => [(m as HTMLMeterElement).value, (m as HTMLMeterElement).max])).toEqual([(api['used'] as number) - 1, api['quota']]);

      expect(consoleErrors).toEqual([]);
      expect(await cspViolations()).toEqual([]);
      await page.close();
    },
    4 * STEP_MS,
  );

  it(
    'a wrong key shows the gateway’s refusal, and nothing else goes wrong',
    async () => {
      const { page, consoleErrors, cspViolations } = await watchedPage();
      await page.goto(`${t.base}/portal`);
      await page.fill('#api-key', 'fd_live_WRONGwrongWRONGwrongWRONGwrongWRONGwrong12');
      await page.click('#show-usage');
      const error = await page.waitForSelector('#usage .error');
      const refusal = (await (await fetch(`${t.base}/v2/usage`, { headers: { 'x-api-key': 'fd_live_WRONGwrongWRONGwrongWRONGwrongWRONGwrong12' } })).json()) as { detail: string };
      expect(await error.textContent()).toBe(refusal.detail);
      expect(await page.$('#usage-table')).toBeNull();
      // the browser reports the refused request itself; that is the only error
      expect(consoleErrors).toEqual([expect.stringMatching(/status of 401/)]);
      expect(await cspViolations()).toEqual([]);
      await page.close();
    },
    4 * STEP_MS,
  );

  it(
    'the CSP is enforced and the watch sees it: an injected inline script and a foreign image are refused',
    async () => {
      const { page, consoleErrors, cspViolations } = await watchedPage();
      await page.goto(`${t.base}/portal`);
      await page.evaluate(() => {
        const script = document.createElement('script');
        script.textContent = 'document.title = "pwned"';
        document.body.appendChild(script);
        const image = document.createElement('img');
        image.src = 'http://192.0.2.1/x.png';
        document.body.appendChild(image);
      });
      await page.waitForFunction(() => (window as unknown as { cspViolations: string[] }).cspViolations.length >= 2);
      expect(await page.title()).toBe('Frontdoor partner portal');
      expect((await cspViolations()).sort()).toEqual(['img-src http://192.0.2.1/x.png', 'script-src-elem inline']);
      expect(consoleErrors.length).toBeGreaterThan(0);
      await page.close();
    },
    4 * STEP_MS,
  );

  it(
    '/docs renders both versions’ operations under its CSP',
    async () => {
      const { page, consoleErrors, cspViolations } = await watchedPage();
      await page.goto(`${t.base}/docs`);
      await page.waitForSelector('.opblock-summary-path[data-path="/v2/products"]');
      const paths = async (selector: string) => page.$$eval(selector, (els) => [...new Set(els.map((el) => el.getAttribute('data-path')))].sort());
      expect(await paths('.opblock-summary-path')).toEqual(['/v2/orders', '/v2/orders/{id}', '/v2/products', '/v2/usage']);
      // the version picker: v1's operations, every one shown as deprecated
      await page.selectOption('.topbar select', { label: 'v1 (deprecated)' });
      await page.waitForSelector('.opblock-summary-path__deprecated[data-path="/v1/products"]');
      expect(await paths('.opblock-summary-path__deprecated')).toEqual(['/v1/orders', '/v1/orders/{id}', '/v1/products', '/v1/usage']);
      expect(await page.$('.opblock-summary-path')).toBeNull();
      expect(consoleErrors).toEqual([]);
      expect(await cspViolations()).toEqual([]);
      await page.close();
    },
    4 * STEP_MS,
  );
});
