import { spawn } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError, runCommand } from '../../src/cli/run.js';
import { RunRenderer } from '../../src/cli/run-renderer.js';
import { Spinner } from '../../src/cli/spinner.js';
import { graphqlRequest } from '../helpers/graphql-clients.js';
import { startTcpProxy } from '../helpers/loopback-proxy.js';
import { CANCEL, WORKFLOW } from '../helpers/operations.js';
import { runCli } from '../helpers/process.js';
import { startSynapse } from '../helpers/synapse.js';
import { sleep } from '../helpers/async.js';
import { refusedPort } from '../helpers/net.js';

let server: Awaited<ReturnType<typeof startSynapse>>;
beforeAll(async () => {
  server = await startSynapse();
});
afterAll(async () => {
  await server.stop();
});

interface InProcessRun {
  code: number;
  stdout: string;
  stderr: string;
  /** The CliError message, when the command failed before streaming. */
  error?: string;
}

/** `runCommand` in this process, with its output captured: the real gateway, no child process. */
async function runInProcess(
  [agentId, prompt]: [string, string],
  options: { json?: boolean; url?: string; signal?: AbortSignal; onStdout?: (chunk: string) => void } = {},
): Promise<InProcessRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => {
    out += chunk;
    options.onStdout?.(String(chunk));
  });
  stderr.on('data', (chunk) => (err += chunk));
  try {
    const code = await runCommand({
      url: options.url ?? server.url,
      agentId,
      prompt,
      json: options.json ?? false,
      stdout,
      stderr,
      signal: options.signal,
    });
    return { code, stdout: out, stderr: err };
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    return { code: error.exitCode, stdout: out, stderr: err, error: error.message };
  }
}

describe('synapse run', () => {
  it('prints the answer on stdout as it streams, reasoning, the tool call and usage on stderr, and exits 0', async () => {
    const { output } = runCli(['run', 'demo', 'What is 12 * (3 + 4)?', '--url', server.url], {});
    const { code, stdout, stderr } = await output;
    expect(code).toBe(0);
    expect(stdout).toContain('I asked the calculator: 12 * (3 + 4) = 84.');
    expect(stdout).not.toContain('tool');
    expect(stderr).toContain('· thinking: The prompt contains arithmetic');
    expect(stderr).toContain('· tool calculator({"expression":"12 * (3 + 4)"})');
    expect(stderr).toContain('· tool result {"value":84}');
    expect(stderr).toMatch(/· done · 7 in \+ \d+ out = \d+ tokens · [\d.]+ s/);
    // The thread id, so the conversation can be continued with --thread.
    const thread = /· workflow \S+ · thread (\S+) \(continue it with --thread \1\)/.exec(stderr)?.[1];
    expect(thread).toBeTruthy();
    const next = await runCli(['run', 'demo', 'And 2 + 2?', '--url', server.url, '--thread', thread!], {}).output;
    expect(next.code).toBe(0);
    expect(next.stderr).toContain(`thread ${thread}`);
  });

  it("an unknown option or a malformed --url exits 2 with a message in the CLI's words", async () => {
    const unknown = await runCli(['run', 'demo', 'hi', '--bogus'], {}).output;
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('synapse: unknown option --bogus (synapse --help lists the commands and options)\n');
    const missing = await runCli(['run', 'demo', 'hi', '--url'], {}).output;
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('option --url needs a value');
    const malformed = await runCli(['run', 'demo', 'hi', '--url', 'localhost:4000'], {}).output;
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toBe('synapse run: --url must be an http:// or https:// URL, got "localhost:4000"\n');
    const notUrl = await runCli(['run', 'demo', 'hi'], { SYNAPSE_URL: 'not a url' }).output;
    expect(notUrl.code).toBe(2);
    expect(notUrl.stderr).toContain('synapse run: SYNAPSE_URL is not a URL: "not a url"');
    const command = await runCli(['launch'], {}).output;
    expect(command.code).toBe(2);
    expect(command.stderr).toContain('synapse: unknown command "launch"');
  });

  it('--json prints every event once, in order, as NDJSON, matching the stored history', async () => {
    const { code, stdout } = await runInProcess(['demo', '2 + 3'], { json: true });
    expect(code).toBe(0);
    const events = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { __typename: string; sequence: number; workflowId: string });
    expect(events.map((event) => event.sequence)).toEqual(events.map((_, index) => index + 1));
    expect(events.at(-1)?.__typename).toBe('RunCompleted');
    const stored = (await graphqlRequest(server.url, WORKFLOW, { id: events[0]!.workflowId })).data!.workflow;
    expect(stored.lastSequence).toBe(events.length);
  });

  it('resumes the stream after a network drop: the NDJSON is still events 1..N, once each', async () => {
    const proxy = await startTcpProxy(new URL(server.url));
    try {
      let lines = 0;
      let cut = false;
      const { code, stdout } = await runInProcess(['slow', 'keep going through 5 * 5'], {
        json: true,
        url: proxy.url,
        onStdout: (chunk) => {
          lines += chunk.split('\n').filter(Boolean).length;
          if (lines >= 5 && !cut) {
            cut = true;
            proxy.cut();
            setTimeout(() => proxy.restore(), 300);
          }
        },
      });
      expect(code).toBe(0);
      const sequences = stdout
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { sequence: number }).sequence);
      expect(sequences).toEqual(sequences.map((_, index) => index + 1));
      expect(proxy.connections).toBeGreaterThanOrEqual(3);
    } finally {
      await proxy.close();
    }
  });

  it('exits 1 when the run ends cancelled, 130 when Ctrl-C cancelled it', async () => {
    let cancelled = false;
    const result = await runInProcess(['slow', 'take your time'], {
      json: true,
      onStdout: (chunk) => {
        if (cancelled) return;
        cancelled = true;
        const first = JSON.parse(chunk.split('\n')[0]!) as { workflowId: string };
        void graphqlRequest(server.url, CANCEL, { id: first.workflowId, reason: 'test' });
      },
    });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout.trim().split('\n').at(-1)!)).toMatchObject({
      __typename: 'RunCancelled',
      reason: 'test',
    });

    const interrupt = new AbortController();
    const interrupted = await runInProcess(['slow', 'take your time'], {
      signal: interrupt.signal,
      onStdout: () => interrupt.abort(),
    });
    expect(interrupted.code).toBe(130);
    expect(interrupted.stderr).toContain('· cancelled: cancelled from the synapse CLI');
  });

  it('an unknown agent exits 4 and names the agents the gateway serves', async () => {
    const { code, error } = await runInProcess(['nope', 'hello']);
    expect(code).toBe(4);
    expect(error).toBe('unknown agent "nope" (this gateway serves: demo, slow, pulse)');
  });

  it('an unreachable gateway exits 3 with a clear message', async () => {
    const url = `http://127.0.0.1:${await refusedPort()}/graphql`;
    const { code, error } = await runInProcess(['demo', 'hello'], { url });
    expect(code).toBe(3);
    expect(error).toContain(`cannot reach the gateway at ${url}: ECONNREFUSED`);
  });

  it('missing arguments exit 2 with the command help', async () => {
    const missing = await runCli(['run', 'demo'], {}).output;
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Usage: synapse run <agentId>');
    expect(missing.stderr).toContain('Exit codes:');
  });

  it('the bin entry (bin/synapse.js) runs the CLI; `help run` exits 0', async () => {
    const child = spawn(process.execPath, ['bin/synapse.js', 'help', 'run'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: synapse run <agentId>');
    expect(stdout).toContain('Exit codes:');
  });
});

function fakeTty(): PassThrough & { isTTY: boolean; text: () => string } {
  const stream = Object.assign(new PassThrough(), { isTTY: true });
  let text = '';
  stream.on('data', (chunk) => (text += chunk));
  return Object.assign(stream, { text: () => text });
}

describe('the run renderer', () => {
  it('shows a spinner only on a TTY after a silence, and erases it before the next output', async () => {
    const tty = fakeTty();
    const spinner = new Spinner(tty, { afterMs: 10, frameMs: 5 });
    spinner.activity();
    await sleep(60);
    expect(spinner.isVisible).toBe(true);
    spinner.stop();
    expect(spinner.isVisible).toBe(false);
    // Drawn one column after the cursor, so it never touches the streamed text.
    expect(tty.text().startsWith(' ⠋\b\b')).toBe(true);
    expect(tty.text().endsWith('  \b\b')).toBe(true);

    const pipe = Object.assign(fakeTty(), { isTTY: false });
    const quiet = new Spinner(pipe, { afterMs: 1, frameMs: 1 });
    quiet.activity();
    await sleep(20);
    quiet.stop();
    expect(pipe.text()).toBe('');
  });

  it('ends a line of text before a note, and reports a failure with its code and usage', () => {
    const stdout = fakeTty();
    const stderr = fakeTty();
    const renderer = new RunRenderer({ stdout, stderr, color: false });
    renderer.event({ __typename: 'TextDelta', sequence: 2, delta: 'Hello' });
    renderer.event({
      __typename: 'RunFailed',
      sequence: 3,
      code: 'UPSTREAM_TIMEOUT',
      message: 'no event for 30 s',
      recoverySuggestion: 'Try again.',
      usage: { inputTokens: 3, outputTokens: 1, totalTokens: 4 },
    });
    renderer.stop();
    expect(stdout.text()).toBe('Hello\n');
    expect(stderr.text()).toBe(
      '· run failed: UPSTREAM_TIMEOUT: no event for 30 s\n  Try again. · 3 in + 1 out = 4 tokens\n',
    );
  });

  it('on a terminal, the answer starts a line of its own after the reasoning', () => {
    const terminal = fakeTty(); // stdout and stderr on one terminal, as a person sees them
    const renderer = new RunRenderer({ stdout: terminal, stderr: terminal, color: false });
    renderer.event({ __typename: 'ReasoningDelta', sequence: 2, delta: 'Two plus two.' });
    renderer.event({ __typename: 'TextDelta', sequence: 3, delta: 'It is 4.' });
    renderer.stop();
    expect(terminal.text()).toBe('· thinking…\nTwo plus two.\nIt is 4.\n');
  });

  it('a tool call without arguments reads name()', () => {
    const stdout = fakeTty();
    const stderr = fakeTty();
    const renderer = new RunRenderer({ stdout, stderr, color: false });
    renderer.event({ __typename: 'ToolCallCompleted', sequence: 2, toolName: 'list_tables', arguments: null });
    renderer.event({ __typename: 'ToolCallCompleted', sequence: 3, toolName: 'list_tables', arguments: {} });
    renderer.event({ __typename: 'ToolCallCompleted', sequence: 4, toolName: 'get', arguments: { id: 1 } });
    expect(stderr.text()).toBe('· tool list_tables()\n· tool list_tables()\n· tool get({"id":1})\n');
  });
});
