import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAnswer } from '../../src/cli/interrupt-prompt.js';
import { runCommand } from '../../src/cli/run.js';
import { startSynapse, TEST_AGENTS } from '../helpers/synapse.js';

let server: Awaited<ReturnType<typeof startSynapse>>;
beforeAll(async () => {
  server = await startSynapse({
    config: { agents: [...TEST_AGENTS, { id: 'ask', dialect: 'demo', demo: { wordDelayMs: 0, askHuman: true } }] },
  });
});
afterAll(async () => {
  await server.stop();
});

/** `synapse run` in this process against the real gateway; `lines` are what the person types. */
async function runAsking(prompt: string, lines: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => (out += chunk));
  stderr.on('data', (chunk) => (err += chunk));
  const questions: string[] = [];
  const ask = async (question: string) => {
    questions.push(question);
    const line = lines.shift();
    if (line === undefined) throw new Error(`no answer left for: ${question}`);
    return line;
  };
  const code = await runCommand({ url: server.url, agentId: 'ask', prompt, json: false, stdout, stderr, ask });
  return { code, stdout: out, stderr: err, questions };
}

describe('synapse run: a person answers at the terminal', () => {
  it('shows the tool call to approve and resumes on "y"', async () => {
    const result = await runAsking('what is 2 + 3', ['y']);
    expect(result.code).toBe(0);
    expect(result.questions).toHaveLength(1);
    expect(result.questions[0]).toContain('May the calculator evaluate 2 + 3?');
    expect(result.questions[0]).toContain('calculator({"expression":"2 + 3"})');
    expect(result.stderr).toContain('waiting for a person (TOOL_APPROVAL): May the calculator evaluate 2 + 3?');
    expect(result.stderr).toContain('answered APPROVE by anonymous');
    expect(result.stdout).toContain('2 + 3 = 5');
  });

  it('"n" with a reason rejects the call', async () => {
    const result = await runAsking('what is 2 + 3', ['n', 'not now']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('rejected (not now)');
  });

  it('a typed value that fails the responseSchema is refused and asked again', async () => {
    const result = await runAsking('hello there', ['{}', '{"expression": "6 * 7"}']);
    expect(result.code).toBe(0);
    expect(result.questions).toHaveLength(2);
    expect(result.stderr).toContain('the answer was refused: INVALID_INPUT');
    expect(result.stdout).toContain('6 * 7 = 42');
  });

  it('an empty line cancels the run (exit 1, RunCancelled)', async () => {
    const result = await runAsking('hello there', ['']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cancelled');
  });

  it('reads JSON when the line is JSON, text otherwise', () => {
    expect(parseAnswer('{"a": 1}')).toEqual({ a: 1 });
    expect(parseAnswer('42')).toBe(42);
    expect(parseAnswer(' Ada ')).toBe('Ada');
  });
});
