import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSynapse } from '../helpers/synapse.js';
import { CHROMIUM, CHROMIUM_ARGS, warnWithoutChromium } from '../helpers/chromium.js';
import { listenOnLoopback } from '../helpers/net.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
warnWithoutChromium('web-e2e');

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

/** Serves the built app from `dir` on loopback. */
async function serveStatic(dir: string): Promise<Server> {
  const server = createServer((request, response) => {
    const pathname = new URL(request.url ?? '/', 'http://x').pathname;
    const file = path.join(dir, pathname === '/' ? 'index.html' : path.normalize(pathname));
    if (!file.startsWith(dir) || !existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    response.end(readFileSync(file));
  });
  await listenOnLoopback(server);
  return server;
}

describe.skipIf(!CHROMIUM)('the React examples in headless Chromium against a real gateway', () => {
  let gateway: Awaited<ReturnType<typeof startSynapse>>;
  let site: Server;
  let browser: Browser;
  let outDir: string;
  let siteUrl: string;

  beforeAll(async () => {
    outDir = mkdtempSync(path.join(tmpdir(), 'synapse-web-'));
    const { build } = await import('vite');
    // Built once for both pages; the config's own root, aliases and inputs, a private output dir.
    await build({
      configFile: path.join(ROOT, 'examples/web/vite.config.ts'),
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true },
    });
    [gateway, site] = await Promise.all([startSynapse(), serveStatic(outDir)]);
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (site ? site.close(() => resolve()) : resolve()));
    await gateway?.stop();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  async function openPage(page: string) {
    const context = await browser.newContext();
    const tab = await context.newPage();
    const errors: string[] = [];
    tab.on('pageerror', (error) => errors.push(error.message));
    await tab.goto(`${siteUrl}/${page}?gateway=${encodeURIComponent(gateway.url)}`, { timeout: 20_000 });
    return { tab, errors, close: () => context.close() };
  }

  it('Apollo Client: clicking Run streams the answer in, shows the tool call, then lists the workflow', async () => {
    const { tab, errors, close } = await openPage('');
    try {
      // The slow demo agent (60 ms a word), so the text is seen arriving, not just arrived.
      await expect
        .poll(() => tab.locator('select[name=agent] option').count(), { timeout: 20_000, interval: 100 })
        .toBe(3);
      await tab.locator('select[name=agent]').selectOption('slow');
      await tab.getByTestId('prompt').fill('What is 12 * (3 + 4)?');
      await tab.getByTestId('run-button').click();
      await expect
        .poll(
          async () => ({
            status: await tab.getByTestId('status').textContent(),
            text: await tab.getByTestId('answer').textContent(),
          }),
          { timeout: 20_000, interval: 50 },
        )
        .toMatchObject({ status: expect.stringContaining('running'), text: expect.stringMatching(/^You said/) });
      await expect
        .poll(() => tab.getByTestId('answer').textContent(), { timeout: 20_000, interval: 100 })
        .toContain('12 * (3 + 4) = 84');
      await expect
        .poll(() => tab.getByTestId('status').textContent(), { timeout: 20_000, interval: 100 })
        .toContain('succeeded');
      const toolCall = await tab.getByTestId('tool-call').first().textContent();
      expect(toolCall).toContain('calculator');
      expect(toolCall).toContain('{"value":84}');
      expect(await tab.getByTestId('reasoning').textContent()).toContain('thinking: The prompt contains arithmetic');
      // The finished run appears in the list of past workflows (refetched when the stream completes).
      const workflowId = (await tab.getByTestId('status').textContent())!.match(/workflow (\S+)/)![1]!;
      await expect
        .poll(() => tab.getByTestId('history').textContent(), { timeout: 20_000, interval: 100 })
        .toContain(workflowId);
      expect(errors).toEqual([]);
      if (process.env.SYNAPSE_E2E_SCREENSHOT)
        await tab.screenshot({ path: process.env.SYNAPSE_E2E_SCREENSHOT, fullPage: true });
    } finally {
      await close();
    }
  }, 60_000);

  it('Apollo Client: a refused run shows its typed error', async () => {
    const { tab, close } = await openPage('');
    try {
      await tab.getByTestId('prompt').fill('');
      await tab.getByTestId('prompt').fill('   ');
      await tab.getByTestId('run-button').click();
      await expect
        .poll(() => tab.getByTestId('error').textContent(), { timeout: 20_000, interval: 100 })
        .toMatch(/INVALID_INPUT|prompt/i);
    } finally {
      await close();
    }
  }, 60_000);

  it('Apollo Client: Cancel stops a running workflow and shows why', async () => {
    const { tab, errors, close } = await openPage('');
    try {
      await expect
        .poll(() => tab.locator('select[name=agent] option').count(), { timeout: 20_000, interval: 100 })
        .toBe(3);
      await tab.locator('select[name=agent]').selectOption('slow');
      await tab.getByTestId('run-button').click();
      await tab.getByTestId('cancel-button').click({ timeout: 20_000 });
      await expect
        .poll(() => tab.getByTestId('status').textContent(), { timeout: 20_000, interval: 100 })
        .toContain('cancelled');
      expect(await tab.getByTestId('error').textContent()).toBe('cancelled: stopped in the browser');
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  }, 60_000);

  it('urql: clicking Run streams the answer in and shows the tool call', async () => {
    const { tab, errors, close } = await openPage('urql.html');
    try {
      await tab.getByTestId('run-button').click();
      await expect
        .poll(() => tab.getByTestId('answer').textContent(), { timeout: 20_000, interval: 100 })
        .toContain('6 * 7 = 42');
      expect(await tab.getByTestId('tool-call').first().textContent()).toContain('calculator');
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  }, 60_000);

  it('AI SDK useChat: the answer streams in, and a reload mid-run resumes it with each word once', async () => {
    const { tab, errors, close } = await openPage('chat.html');
    try {
      await tab.getByTestId('prompt').fill('What is 12 * (3 + 4)?');
      await tab.getByTestId('send-button').click();
      // Some words in (the slow demo agent, 60 ms a word), then a reload in the middle of the run.
      await expect
        .poll(async () => ((await tab.getByTestId('answer').textContent()) ?? '').split(' ').length, {
          timeout: 20_000,
          interval: 50,
        })
        .toBeGreaterThan(3);
      const chatId = new URL(tab.url()).searchParams.get('chat')!;
      expect(chatId).toBeTruthy();
      await tab.reload();
      await expect
        .poll(() => tab.getByTestId('status').textContent(), { timeout: 20_000, interval: 100 })
        .toContain('ready');
      await expect
        .poll(() => tab.getByTestId('answer').textContent(), { timeout: 20_000, interval: 100 })
        .toContain('12 * (3 + 4) = 84');
      await expect
        .poll(() => tab.getByTestId('status').textContent(), { timeout: 20_000, interval: 100 })
        .toMatch(/^ready/);
      // Each word once: the page's answer is the workflow's text, exactly.
      const thread = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: 'query($id: ID!) { thread(id: $id) { workflows { id status text } } }',
          variables: { id: chatId },
        }),
      }).then(
        (response) =>
          response.json() as Promise<{ data: { thread: { workflows: { status: string; text: string }[] } } }>,
      );
      const [workflow] = thread.data.thread.workflows;
      expect(workflow!.status).toBe('SUCCEEDED');
      expect(await tab.getByTestId('answer').textContent()).toBe(workflow!.text);
      expect(await tab.getByTestId('tool-call').first().textContent()).toContain('calculator');
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  }, 60_000);
});
