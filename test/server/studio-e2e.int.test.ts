import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockUpstream, type RunningMock } from '../../src/mock-upstream/index.js';
import { apiKeyEntry, authedRequest } from '../helpers/auth-clients.js';
import { startSynapse, TEST_AGENTS } from '../helpers/synapse.js';
import { CHROMIUM, CHROMIUM_ARGS, warnWithoutChromium } from '../helpers/chromium.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
warnWithoutChromium('studio-e2e');

/** SYNAPSE_STUDIO_SCREENSHOTS=/tmp/dir keeps a screenshot of each flow there. */
const SHOTS = process.env.SYNAPSE_STUDIO_SCREENSHOTS;
const KEY = 'studio-key-0123456789abcdef';
const POLL = { timeout: 20_000, interval: 50 };

const RUN = `mutation Run($input: RunAgentInput!) {
  runAgent(input: $input) { __typename ... on RunAgentPayload { workflow { id status } } ... on Error { code message } }
}`;
const CANCEL = 'mutation Cancel($id: ID!) { cancelWorkflow(id: $id) { __typename } }';

describe.skipIf(!CHROMIUM)('Synapse Studio at /studio in headless Chromium against a real gateway', () => {
  let outDir: string;
  let mock: RunningMock;
  let gateway: Awaited<ReturnType<typeof startSynapse>>;
  let secured: Awaited<ReturnType<typeof startSynapse>>;
  let browser: Browser;
  /** The seeded workflows of `gateway`, oldest first. */
  const seeded: { id: string; agent: string; status: string }[] = [];

  beforeAll(async () => {
    outDir = mkdtempSync(path.join(tmpdir(), 'synapse-studio-'));
    const { build } = await import('vite');
    // The Studio's own config (base /studio/, aliases), into a private output dir.
    await build({
      configFile: path.join(ROOT, 'studio/vite.config.ts'),
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true },
    });
    // A recorded AG-UI stream over a real SSE connection: it has steps, which the demo agent has not.
    mock = await startMockUpstream({ dialect: 'ag-ui', scenario: 'full' });
    const agents = [...TEST_AGENTS, { id: 'agui', dialect: 'ag-ui', url: `${mock.url}/agent` }];
    [gateway, secured] = await Promise.all([
      startSynapse({ studioDir: outDir, config: { agents } }),
      startSynapse({
        studioDir: outDir,
        config: {
          agents,
          // A listed origin that is not the gateway's: the Studio's own origin must still pass.
          auth: {
            apiKeys: [apiKeyEntry('studio', KEY, 'acme', ['agents:run', 'workflows:read'])],
            allowedOrigins: ['https://app.example'],
          },
        },
      }),
    ]);
    // History to page through: 12 fast runs (3 with a prompt of their own) and a cancelled slow one.
    for (let index = 0; index < 12; index++) {
      const prompt = index % 4 === 0 ? `What is ${index} + 1?` : `seeded run ${index}`;
      const { body } = await authedRequest(gateway.url, null, RUN, { input: { agentId: 'demo', prompt, wait: true } });
      seeded.push({ id: body.data!.runAgent.workflow.id, agent: 'demo', status: 'SUCCEEDED' });
    }
    const { body } = await authedRequest(gateway.url, null, RUN, {
      input: { agentId: 'slow', prompt: 'to be cancelled' },
    });
    const slowId = body.data!.runAgent.workflow.id as string;
    await authedRequest(gateway.url, null, CANCEL, { id: slowId });
    seeded.push({ id: slowId, agent: 'slow', status: 'CANCELLED' });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([gateway?.stop(), secured?.stop(), mock?.close()]);
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  /** A fresh browser context on the gateway's own /studio (same origin, as a user opens it). */
  async function openStudio(server: { url: string }, hash = '') {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const tab = await context.newPage();
    const errors: string[] = [];
    tab.on('pageerror', (error) => errors.push(error.message));
    // A CSP violation or a failed request is a console error.
    tab.on('console', (message) => {
      if (message.type() === 'error' && !/status of 401/.test(message.text())) errors.push(message.text());
    });
    await tab.goto(`${new URL('/studio', server.url).href}${hash}`, { timeout: 20_000 });
    return { tab, errors, close: () => context.close() };
  }

  async function shot(tab: Page, name: string) {
    if (SHOTS) await tab.screenshot({ path: path.join(SHOTS, `studio-${name}.png`), fullPage: true });
  }

  const text = (tab: Page, testId: string) => tab.getByTestId(testId).first().textContent();

  async function runFromPrompt(tab: Page, agent: string, prompt: string): Promise<string> {
    await expect.poll(() => tab.getByTestId('agent-select').locator('option').count(), POLL).toBeGreaterThan(0);
    await tab.getByTestId('agent-select').selectOption(agent);
    await tab.getByTestId('prompt').fill(prompt);
    await tab.getByTestId('run-button').click();
    await expect.poll(() => tab.getByTestId('workflow').count(), POLL).toBe(1);
    return (await tab.getByTestId('workflow').getAttribute('data-workflow-id'))!;
  }

  it('pending interrupts: approve a tool call (arguments edited), respond to a question; the run goes on on screen', async () => {
    // The demo agent that asks (docs/human-in-the-loop.md): approval of its calculator call when
    // the prompt has arithmetic, else a question with a responseSchema.
    const asking = await startSynapse({
      studioDir: outDir,
      config: { agents: [{ id: 'ask', dialect: 'demo', demo: { wordDelayMs: 2, askHuman: true } }] },
    });
    const { tab, errors, close } = await openStudio(asking);
    try {
      await runFromPrompt(tab, 'ask', 'What is 2 + 3?');
      await expect.poll(() => text(tab, 'status'), POLL).toBe('INPUT_REQUIRED');
      await expect.poll(() => tab.getByTestId('interrupt').count(), POLL).toBe(1);
      const card = tab.getByTestId('interrupt');
      expect(await card.textContent()).toContain('May the calculator evaluate 2 + 3?');
      expect(await card.getByTestId('interrupt-respond').count()).toBe(0);
      await card.getByTestId('interrupt-arguments').fill('{"expression":"4 * 5"}');
      await shot(tab, 'interrupt-approval');
      await card.getByTestId('interrupt-approve').click();
      await expect.poll(() => text(tab, 'status'), POLL).toBe('SUCCEEDED');
      expect(await text(tab, 'answer')).toContain('4 * 5 = 20');
      expect(await tab.getByTestId('interrupt').count()).toBe(0);

      // INPUT: a typed answer checked against the responseSchema; a refused one is shown.
      await runFromPrompt(tab, 'ask', 'please compute something for me');
      await expect.poll(() => tab.getByTestId('interrupt').count(), POLL).toBe(1);
      const question = tab.getByTestId('interrupt');
      expect(await question.textContent()).toContain('Which expression should the calculator evaluate?');
      expect(await question.getByTestId('interrupt-approve').count()).toBe(0);
      await question.getByTestId('interrupt-value').fill('42');
      await question.getByTestId('interrupt-respond').click();
      await expect.poll(() => question.textContent(), POLL).toContain('INVALID_INPUT');
      await question.getByTestId('interrupt-value').fill('{"expression":"6 * 7"}');
      await question.getByTestId('interrupt-respond').click();
      await expect.poll(() => text(tab, 'status'), POLL).toBe('SUCCEEDED');
      expect(await text(tab, 'answer')).toContain('6 * 7 = 42');
      await shot(tab, 'interrupt-answered');
      expect(errors).toEqual([]);
    } finally {
      await close();
      await asking.stop();
    }
  }, 90_000);

  it('lists the agents with their dialects', async () => {
    const { tab, errors, close } = await openStudio(gateway);
    try {
      await expect.poll(() => tab.getByTestId('agent').count(), POLL).toBe(4);
      const agents = await tab.getByTestId('agent').evaluateAll((items) => items.map((item) => item.textContent));
      expect(agents).toEqual(['demodemo', 'slowdemo', 'pulsedemo', 'aguiag-ui']);
      expect(await tab.title()).toBe('Synapse Studio');
      await shot(tab, 'start');
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  }, 60_000);

  it('a run from a prompt: text as it arrives, reasoning, the calculator call with its arguments and result, usage, status', async () => {
    const { tab, errors, close } = await openStudio(gateway);
    try {
      // The slow agent (60 ms a word), so the text is seen arriving, not just arrived.
      const workflowId = await runFromPrompt(tab, 'slow', 'What is 12 * (3 + 4)?');
      await expect
        .poll(async () => ({ status: await text(tab, 'status'), answer: await text(tab, 'answer') }), POLL)
        .toMatchObject({ status: 'RUNNING', answer: expect.stringMatching(/^You said/) });
      const partial = (await text(tab, 'answer'))!;
      expect(partial).not.toContain('synapse.config.yaml');
      await shot(tab, 'run-streaming');
      await expect.poll(() => text(tab, 'status'), POLL).toBe('SUCCEEDED');
      const answer = (await text(tab, 'answer'))!;
      expect(answer.startsWith(partial)).toBe(true);
      expect(answer).toContain('12 * (3 + 4) = 84');
      expect(answer).toContain('synapse.config.yaml');
      expect(await text(tab, 'reasoning')).toContain('The prompt contains arithmetic');
      expect(await tab.getByTestId('tool-call').count()).toBe(1);
      expect(await text(tab, 'tool-call')).toContain('calculator');
      expect(await text(tab, 'tool-arguments')).toBe('{"expression":"12 * (3 + 4)"}');
      expect(await text(tab, 'tool-result')).toBe('{"value":84}');
      expect(await text(tab, 'usage')).toMatch(/^\d+ in · \d+ out · \d+ total tokens$/);
      // Every event in the timeline, the deltas folded into one row.
      const types = await tab
        .getByTestId('timeline-row')
        .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-type')));
      expect(types[0]).toBe('RunStarted');
      expect(types).toEqual(
        expect.arrayContaining([
          'ReasoningStep',
          'ToolCallStarted',
          'ToolCallCompleted',
          'ToolResult',
          'TextDelta',
          'UsageUpdated',
        ]),
      );
      expect(types.at(-1)).toBe('RunCompleted');
      expect(types.filter((type) => type === 'TextDelta')).toHaveLength(1);
      // The run is linkable, and listed at the top of the past workflows once it finished.
      expect(new URL(tab.url()).hash).toBe(`#/workflows/${workflowId}`);
      await expect
        .poll(() => tab.getByTestId('history-item').first().getAttribute('data-workflow-id'), POLL)
        .toBe(workflowId);
      await expect
        .poll(() => tab.getByTestId('history-item').first().getAttribute('data-status'), POLL)
        .toBe('SUCCEEDED');
      await shot(tab, 'run-finished');
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  }, 60_000);

  it("a run with steps: an AG-UI upstream's steps, reasoning and parallel tool calls", async () => {
    const { tab, errors, close } = await openStudio(gateway);
    try {
      await runFromPrompt(tab, 'agui', 'Weather in Zürich and Tokyo?');
      await expect.poll(() => text(tab, 'status'), POLL).toBe('SUCCEEDED');
      expect(await text(tab, 'steps')).toBe('plan · finished');
      expect(await text(tab, 'reasoning')).toContain('Two cities, two lookups.');
      expect(await tab.getByTestId('tool-arguments').allTextContents()).toEqual([
        '{"city":"Zürich"}',
        '{"city":"東京"}',
      ]);
      expect(await text(tab, 'answer')).toContain('Checking the café ☕ weather in Zürich and 東京 🚀.');
      expect(await text(tab, 'usage')).toContain('200 total tokens');
      const types = await tab
        .getByTestId('timeline-row')
        .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-type')));
      expect(types).toEqual(
        expect.arrayContaining(['StepStarted', 'StepFinished', 'StateSnapshot', 'StateDelta', 'CustomEvent']),
      );
      await shot(tab, 'run-steps');
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  }, 60_000);

  it('Cancel stops a slow run and shows why', async () => {
    const { tab, errors, close } = await openStudio(gateway);
    try {
      await runFromPrompt(tab, 'slow', 'a long answer to stop');
      await expect.poll(() => text(tab, 'status'), POLL).toBe('RUNNING');
      await tab.getByTestId('cancel-button').click();
      await expect.poll(() => text(tab, 'status'), POLL).toBe('CANCELLED');
      expect(await text(tab, 'run-error')).toBe('cancelled: stopped in the Studio');
      expect(await tab.getByTestId('cancel-button').count()).toBe(0);
      await expect
        .poll(() => tab.getByTestId('history-item').first().getAttribute('data-status'), POLL)
        .toBe('CANCELLED');
      await shot(tab, 'cancelled');
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  }, 60_000);

  it('past workflows: newest first with status, agent and time; filters by agent and status; pages', async () => {
    const { tab, errors, close } = await openStudio(gateway);
    const ids = () =>
      tab
        .getByTestId('history-item')
        .evaluateAll((items) => items.map((item) => item.getAttribute('data-workflow-id')));
    const attributes = (name: string) =>
      tab
        .getByTestId('history-item')
        .evaluateAll((items, attribute) => items.map((item) => item.getAttribute(attribute)), name);
    try {
      await expect.poll(() => tab.getByTestId('history-item').count(), POLL).toBe(10);
      // Newest first: the seeded runs appear in reverse order of creation.
      const firstPage = await ids();
      const seededOrder = seeded.map((run) => run.id).reverse();
      expect(firstPage.filter((id) => seededOrder.includes(id!))).toEqual(
        seededOrder.filter((id) => firstPage.includes(id)),
      );
      const item = tab.locator(`[data-testid=history-item][data-workflow-id="${seeded.at(-1)!.id}"]`);
      if ((await item.count()) > 0) {
        expect(await item.textContent()).toMatch(/CANCELLED\s*slow\s*\d{2}:\d{2}:\d{2}/);
      }
      // Paging: older, then back to the newest.
      await tab.getByTestId('page-older').click();
      await expect.poll(() => text(tab, 'page-number'), POLL).toBe('page 2');
      await expect.poll(async () => (await ids()).some((id) => firstPage.includes(id)), POLL).toBe(false);
      expect((await ids()).length).toBeGreaterThan(0);
      await tab.getByTestId('page-newer').click();
      await expect.poll(ids, POLL).toEqual(firstPage);
      // By agent: only the slow agent's workflows.
      await tab.getByTestId('filter-agent').selectOption('slow');
      await expect.poll(async () => new Set(await attributes('data-agent')), POLL).toEqual(new Set(['slow']));
      expect(await ids()).toContain(seeded.at(-1)!.id);
      // By status as well: none of the slow runs succeeded with this filter... only cancelled ones.
      await tab.getByTestId('filter-status').selectOption('CANCELLED');
      await expect.poll(async () => new Set(await attributes('data-status')), POLL).toEqual(new Set(['CANCELLED']));
      await tab.getByTestId('filter-agent').selectOption('');
      await tab.getByTestId('filter-status').selectOption('SUCCEEDED');
      await expect.poll(async () => new Set(await attributes('data-status')), POLL).toEqual(new Set(['SUCCEEDED']));
      expect(await tab.getByTestId('page-number').textContent()).toBe('page 1');
      // A run started elsewhere shows up on its own (workflowUpdates), no refresh clicked.
      const { body } = await authedRequest(gateway.url, null, RUN, {
        input: { agentId: 'demo', prompt: 'started by another client', wait: true },
      });
      const elsewhere = body.data!.runAgent.workflow.id as string;
      await expect
        .poll(() => tab.getByTestId('history-item').first().getAttribute('data-workflow-id'), POLL)
        .toBe(elsewhere);
      await shot(tab, 'history-filtered');
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  }, 60_000);

  it('opening a past workflow replays its timeline from history, also from a link', async () => {
    const { tab, errors, close } = await openStudio(gateway);
    const past = seeded[4]!; // "What is 4 + 1?"
    try {
      await tab.getByTestId('filter-agent').selectOption('demo');
      await tab.getByTestId('filter-status').selectOption('SUCCEEDED');
      let entry = tab.locator(`[data-testid=history-item][data-workflow-id="${past.id}"]`);
      while ((await entry.count()) === 0) {
        await tab.getByTestId('page-older').click({ timeout: 5_000 });
        entry = tab.locator(`[data-testid=history-item][data-workflow-id="${past.id}"]`);
        await expect.poll(() => tab.getByTestId('history-item').count(), POLL).toBeGreaterThan(0);
      }
      await entry.click();
      await expect.poll(() => tab.getByTestId('workflow').getAttribute('data-workflow-id'), POLL).toBe(past.id);
      await expect.poll(() => text(tab, 'status'), POLL).toBe('SUCCEEDED');
      expect(await text(tab, 'workflow-prompt')).toBe('What is 4 + 1?');
      expect(await text(tab, 'answer')).toContain('4 + 1 = 5');
      expect(await text(tab, 'tool-result')).toBe('{"value":5}');
      const rows = await tab
        .getByTestId('timeline-row')
        .evaluateAll((items) => items.map((item) => item.getAttribute('data-type')));
      expect(rows[0]).toBe('RunStarted');
      expect(rows.at(-1)).toBe('RunCompleted');
      await shot(tab, 'replay');
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
    // The same workflow from a link to it.
    const linked = await openStudio(gateway, `#/workflows/${encodeURIComponent(seeded.at(-1)!.id)}`);
    try {
      await expect.poll(() => text(linked.tab, 'status'), POLL).toBe('CANCELLED');
      expect(await text(linked.tab, 'workflow-prompt')).toBe('to be cancelled');
      expect(linked.errors).toEqual([]);
    } finally {
      await linked.close();
    }
  }, 60_000);

  it('auth on: the key prompt, a wrong key refused, the right key over HTTP and graphql-ws', async () => {
    const { tab, errors, close } = await openStudio(secured);
    const authorizations: string[] = [];
    const socketFrames: string[] = [];
    tab.on('request', (request) => {
      if (request.url().endsWith('/graphql')) authorizations.push(request.headers().authorization ?? '');
    });
    tab.on('websocket', (socket) => socket.on('framesent', (frame) => void socketFrames.push(String(frame.payload))));
    try {
      await expect.poll(() => tab.getByTestId('key-prompt').count(), POLL).toBe(1);
      expect(await tab.getByTestId('agent').count()).toBe(0);
      await shot(tab, 'key-prompt');
      // A wrong key: refused, and the prompt says so.
      await tab.getByTestId('key-input').fill('not-the-key');
      await tab.getByTestId('key-submit').click();
      await expect.poll(() => text(tab, 'key-error'), POLL).toBe('The gateway refused this key: invalid credentials');
      expect(authorizations).toContain('Bearer not-the-key');
      await shot(tab, 'key-refused');
      // The right key: agents over HTTP, then a run streamed over graphql-ws.
      await tab.getByTestId('key-input').fill(KEY);
      await tab.getByTestId('key-submit').click();
      await expect.poll(() => tab.getByTestId('agent').count(), POLL).toBe(4);
      expect(await tab.getByTestId('key-prompt').count()).toBe(0);
      expect(authorizations.at(-1)).toBe(`Bearer ${KEY}`);
      await runFromPrompt(tab, 'demo', 'What is 6 * 7?');
      await expect.poll(() => text(tab, 'status'), POLL).toBe('SUCCEEDED');
      expect(await text(tab, 'answer')).toContain('6 * 7 = 42');
      const inits = socketFrames
        .map((frame) => JSON.parse(frame) as { type: string; payload?: unknown })
        .filter((frame) => frame.type === 'connection_init');
      // Sockets open once a key works: every one of them sent it.
      expect(inits.length).toBeGreaterThan(0);
      expect(inits.map((frame) => frame.payload)).toEqual(inits.map(() => ({ authorization: `Bearer ${KEY}` })));
      // Kept for this tab only: a reload needs no prompt.
      expect(await tab.evaluate(() => sessionStorage.getItem('synapse.studio.apiKey'))).toBe(KEY);
      await tab.reload();
      await expect.poll(() => tab.getByTestId('agent').count(), POLL).toBe(4);
      expect(await tab.getByTestId('key-prompt').count()).toBe(0);
      await shot(tab, 'authenticated');
      // Forgetting the key asks again.
      await tab.getByTestId('forget-key').click();
      await expect.poll(() => tab.getByTestId('key-prompt').count(), POLL).toBe(1);
      expect(await tab.evaluate(() => sessionStorage.getItem('synapse.studio.apiKey'))).toBeNull();
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  }, 60_000);
});
