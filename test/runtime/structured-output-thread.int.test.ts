import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelDialectName } from '../../src/mock-upstream/model-script.js';
import { MODEL_DIALECTS, startScriptedModel, type ScriptedModel } from '../helpers/scripted-model.js';
import { ofType, startGateway, terminalOf } from '../dialects/harness.js';
import type { ModelRequestBody } from '../helpers/shapes.js';

/**
 * A structured-output retry (docs/runtime.md, "Structured output") is part of the thread: the
 * failing answer, the validation feedback sent back, and the answer after it reach the thread's
 * next turn, in each vendor's format.
 */
const DIALECTS = MODEL_DIALECTS;

const ANSWER_SCHEMA = { type: 'object', properties: { answer: { type: 'integer' } }, required: ['answer'] };
const BAD = '{"answer": "forty-two"}';
const GOOD = '{"answer": 42}';

let gateway: Awaited<ReturnType<typeof startGateway>>;
const models: Record<string, ScriptedModel> = {};

beforeAll(async () => {
  const agents: Record<string, unknown>[] = [];
  for (const { dialect, path } of DIALECTS) {
    const model = await startScriptedModel(dialect, (index) => ({ text: index === 0 ? BAD : GOOD }));
    models[dialect] = model;
    agents.push({
      id: `${dialect}-structured`,
      dialect,
      url: `${model.url}${path}`,
      model: 'test-model',
      outputSchema: ANSWER_SCHEMA,
      outputRetries: 1,
      retry: { attempts: 1 },
    });
  }
  gateway = await startGateway(agents);
});

afterAll(async () => {
  await gateway?.stop();
  await Promise.all(Object.values(models).map((model) => model.close()));
});

/** The text messages of a request, normalised to [role, text], without the system prompt. */
function textMessagesOf(dialect: ModelDialectName, body: ModelRequestBody): [string, string][] {
  if (dialect === 'openai-chat')
    return body.messages
      .filter((message) => message.role !== 'system')
      .map((message): [string, string] => [message.role, message.content as string]);
  if (dialect === 'openai-responses')
    return body.input
      .filter((item) => typeof item.role === 'string')
      .map((item): [string, string] => [item.role, item.content as string]);
  return body.messages.flatMap((message) =>
    (typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content)
      .filter((block) => block.type === 'text')
      .map((block): [string, string] => [message.role, block.text]),
  );
}

describe.each(DIALECTS)('structured-output retry in the thread: $dialect', ({ dialect }) => {
  it("stores the retry message, and the thread's next turn carries the whole exchange", async () => {
    const model = models[dialect]!;
    const events = await gateway.runAndStream({ agentId: `${dialect}-structured`, prompt: 'The answer?' });
    expect(terminalOf(events)).toMatchObject({ __typename: 'RunCompleted', output: { answer: 42 } });
    expect(model.bodies).toHaveLength(2);
    const sentRetry = textMessagesOf(dialect, model.bodies[1]!).at(-1)!;
    expect(sentRetry[0]).toBe('user');
    expect(sentRetry[1]).toContain('/answer must be integer');
    expect(sentRetry[1]).toContain('does not match the required JSON Schema');

    // the retry is an event of the run: stored between the two steps
    const retries = ofType(events, 'CustomEvent');
    expect(retries).toEqual([
      expect.objectContaining({ name: 'synapse.runtimeMessage', value: { role: 'user', content: sentRetry[1] } }),
    ]);
    const order = events.map((event) =>
      event.__typename === 'StepStarted' || event.__typename === 'StepFinished'
        ? `${event.__typename}:${event.name}`
        : event.__typename,
    );
    expect(order.indexOf('CustomEvent')).toBe(order.indexOf('StepFinished:step-1') + 1);
    expect(order.indexOf('StepStarted:step-2')).toBe(order.indexOf('CustomEvent') + 1);

    const workflow = await gateway.workflow(events[0]!.workflowId);
    const next = await gateway.runAndStream({
      agentId: `${dialect}-structured`,
      threadId: workflow.threadId,
      prompt: 'And doubled?',
    });
    expect(terminalOf(next).__typename).toBe('RunCompleted');
    expect(model.bodies).toHaveLength(3);
    expect(textMessagesOf(dialect, model.bodies[2]!)).toEqual([
      ['user', 'The answer?'],
      ['assistant', BAD],
      ['user', sentRetry[1]],
      ['assistant', GOOD],
      ['user', 'And doubled?'],
    ]);
  });
});
