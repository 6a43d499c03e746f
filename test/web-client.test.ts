import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { createStreamingClient, ProfilePickerDocument, SessionTokens } from '@streaming/client';
import { chromium, type Browser, type Page } from 'playwright-core';
import { SUBGRAPH_NAMES, type SubgraphName } from '@streaming/platform';
import { demandConfigFromEnv } from '../gateway/src/config';
import { startTestGateway, type TestGateway } from './support/gateway';
import { startTestSupergraph, type TestSupergraph } from './support/supergraph';
import { buildWebClient, serveWebClient, type WebServer } from './support/webClient';

/**
 * The reference web client (clients/web: React and Apollo Client through the typed client kit),
 * built with Vite and driven by Playwright in Debian's Chromium (/usr/bin/chromium; .ci/run
 * installs it), against the real gateway in trusted-documents `enforce` mode over the real
 * subgraphs. Every wait is for something on the page to appear, with a generous deadline: a
 * loaded two-core machine renders slowly, never differently. Screenshots go to
 * test/results/web-client/ (git-ignored).
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = path.resolve(__dirname, 'results/web-client');
const WAIT = 60_000;
// A test is several such waits in a row (sign-in, profiles, rows, then its own), on a machine
// where another test file may be starting a supergraph at the same time.
jest.setTimeout(300_000);
const OWNER = 'demo-premium';

let sg: TestSupergraph;
let gateway: TestGateway;
let web: WebServer;
let browser: Browser;
let kidsRating: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run does), or set CHROMIUM_PATH`);
  mkdirSync(SCREENSHOTS, { recursive: true });
  const [supergraph, dist] = await Promise.all([startTestSupergraph(), buildWebClient()]);
  sg = supergraph;
  // The page's gateway: trusted documents enforced, recommendation's last good answers kept (as
  // shipped), and the x-fault header honoured, so the test can take recommendation down.
  gateway = await startTestGateway(sg, {
    subgraphUrls: Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, sg.subgraphs[name].url])) as Record<SubgraphName, string>,
    demand: demandConfigFromEnv({ TRUSTED_DOCUMENTS: 'enforce' }),
    lastGood: { subgraphs: ['recommendation'], maxAgeSeconds: 86_400, maxEntries: 1_000, maxEntriesPerViewer: 100 },
    resilience: { faultInjection: true },
  });
  web = await serveWebClient(dist, gateway.url);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // The machine's network is closed: without these Chromium keeps trying to reach Google.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  // Asked by id, as any client must ask an enforcing gateway.
  const kit = createStreamingClient({ uri: sg.gatewayUrl, tokens: new SessionTokens({ accessToken: await sg.tokenFor(OWNER), refreshToken: 'unused' }) });
  const { data } = await kit.query({ query: ProfilePickerDocument, variables: { accountId: OWNER } });
  kidsRating = data.account!.profiles.find((p) => p.isKids)!.maturityRating;
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await web?.stop();
  await gateway?.stop();
  await sg?.stop();
});
afterEach(() => web?.setFault(undefined));

/** A new browser context (its own sessionStorage: a new tab, signed out), signed in, on a profile. */
async function signedInOn(profile: { kids: boolean }): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT);
  await page.goto(web.url);
  await page.getByLabel('Email').fill(`${OWNER}@example.com`);
  await page.getByLabel('Password').fill('streaming-demo');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator(`button.profile[data-kids="${profile.kids}"]`).first().click();
  await page.locator('[data-testid="tile"]').first().waitFor().catch(async (err: Error) => {
    // What the page showed instead (an error notice says its code and request id).
    await shot(page, `failed-${profile.kids ? 'kids' : 'profile'}`);
    throw new Error(`${err.message}\npage showed: ${await page.locator('main').innerText()}`);
  });
  return page;
}

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });

it('signs in, picks a profile and renders the home rows with artwork; pages rows down and titles along', async () => {
  const page = await signedInOn({ kids: false });
  const rows = page.locator('[data-testid="row"]');
  expect(await rows.count()).toBeGreaterThan(0);
  for (const heading of await rows.locator('h3').allTextContents()) expect(heading.trim()).not.toBe('');
  const art = await page.locator('[data-testid="tile"] img').first().getAttribute('src');
  expect(art).toMatch(/^https?:\/\//);
  expect(await page.getByRole('alert').count()).toBe(0);
  await shot(page, 'home');

  // More rows: the next page is appended below the rows already shown.
  const shown = await rows.count();
  await page.getByRole('button', { name: 'More rows' }).click();
  await page.waitForFunction(`document.querySelectorAll('[data-testid="row"]').length > ${shown}`, undefined, { timeout: WAIT });
  // More titles along the first row that has them.
  const rowId = await page.locator('[data-testid="row"]').filter({ has: page.getByRole('button', { name: 'More', exact: true }) }).first().getAttribute('data-row');
  // By its id: once its titles run out the row loses its More button, and a filter would move on.
  const row = page.locator(`[data-row=${JSON.stringify(rowId)}]`);
  const tiles = await row.locator('[data-testid="tile"]').count();
  const before = await row.locator('[data-testid="tile"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-title')));
  await row.getByRole('button', { name: 'More', exact: true }).click();
  await page.waitForFunction(`document.querySelectorAll(${JSON.stringify(`[data-row=${JSON.stringify(rowId)}] [data-testid="tile"]`)}).length > ${tiles}`, undefined, { timeout: WAIT });
  const after = await row.locator('[data-testid="tile"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-title')));
  expect(after.slice(0, before.length)).toEqual(before);
  expect(new Set(after).size).toBe(after.length);
  await page.context().close();
});

it('a kids profile shows no title above its rating', async () => {
  const page = await signedInOn({ kids: true });
  const ratings = await page.locator('[data-testid="tile"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-rating')));
  expect(ratings.length).toBeGreaterThan(0);
  // Ordered from least to most restricted, as the schema's MaturityRating says.
  const order = ['ALL', 'SEVEN_PLUS', 'THIRTEEN_PLUS', 'SIXTEEN_PLUS', 'EIGHTEEN_PLUS'];
  for (const rating of ratings) expect(order.indexOf(rating!)).toBeLessThanOrEqual(order.indexOf(kidsRating));
  expect(order.indexOf(kidsRating)).toBeLessThan(order.indexOf('THIRTEEN_PLUS'));
  await shot(page, 'kids-home');
  await page.context().close();
});

it('starts playback from a tile, lists it among the active streams, and stops it', async () => {
  const page = await signedInOn({ kids: false });
  const tile = page.locator('[data-testid="tile"]').first();
  const titleId = await tile.getAttribute('data-title');
  const name = await tile.locator('.name').textContent();
  await tile.getByRole('button', { name: 'Play' }).click();

  const stream = page.locator(`[data-testid="stream"][data-title="${titleId}"]`);
  await stream.waitFor();
  await expect(stream.textContent()).resolves.toContain(name!);
  await expect(stream.textContent()).resolves.toContain('this browser');
  await shot(page, 'playing');

  await stream.getByRole('button', { name: 'Stop' }).click();
  await stream.waitFor({ state: 'detached' });
  expect(await page.getByRole('alert').count()).toBe(0);
  await page.context().close();
});

it('shows the degraded banner when the gateway answers with a fallback (recommendation down)', async () => {
  // Seen once while recommendation answers: the gateway keeps these rows as the profile's last good.
  const page = await signedInOn({ kids: false });
  const shown = await page.locator('[data-testid="row"] h3').allTextContents();
  expect(await page.getByTestId('degraded-banner').count()).toBe(0);

  web.setFault('recommendation=error');
  await page.reload();
  const banner = page.getByTestId('degraded-banner');
  await banner.waitFor();
  await expect(banner.textContent()).resolves.toContain('recommendation');
  // Still the home screen: the last good rows, as they were.
  await page.locator('[data-testid="tile"]').first().waitFor();
  expect(await page.locator('[data-testid="row"] h3').allTextContents()).toEqual(shown);
  await shot(page, 'degraded');
  await page.context().close();
});
