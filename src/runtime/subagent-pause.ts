import { mirroredInterruptId } from '../bridge/interrupt-answers.js';
import type { ConversationToolCall } from '../dialects/conversation.js';
import type { AgentEventBody } from '../events/index.js';
import type { SubagentOutcome, SubagentPause } from './subagent-runner.js';
import type { ExecutedCall } from './tool-execution.js';

/*
 * How the agent loop waits on a subagent's child that paused for a person (docs/runtime.md,
 * "A child that waits for a person"): the parent's call waits as SUBAGENT, and the parent's
 * interrupts mirror the child's.
 */

type Call = ConversationToolCall;

/** How a call waits: for a person (approval, client tool), or for a child that waits for one (SUBAGENT, internal to the loop's state). */
export type WaitKind = 'TOOL_APPROVAL' | 'CLIENT_TOOL' | 'SUBAGENT';

/** A call that waits, as the pause's state keeps it. */
export interface WaitingCall {
  call: Call;
  kind: WaitKind;
  childWorkflowId?: string;
  /** SUBAGENT: the parent's interrupts, each mirroring one open interrupt of the child. */
  mirrored?: { interruptId: string; childInterruptId: string }[];
}

/** Calls with a result, and subagent calls whose child paused for a person. */
export function settle(results: readonly { call: Call; outcome: SubagentOutcome }[]): {
  done: { call: Call; outcome: ExecutedCall }[];
  paused: { call: Call; pause: SubagentPause }[];
} {
  const done: { call: Call; outcome: ExecutedCall }[] = [];
  const paused: { call: Call; pause: SubagentPause }[] = [];
  for (const { call, outcome } of results) {
    if ('paused' in outcome) paused.push({ call, pause: outcome.paused });
    else done.push({ call, outcome });
  }
  return { done, paused };
}

/** The waiting entry of a subagent call whose child paused: one mirrored interrupt per open interrupt of the child. */
export function subagentWaiting(call: Call, pause: SubagentPause): WaitingCall {
  return {
    call,
    kind: 'SUBAGENT',
    childWorkflowId: pause.childWorkflowId,
    mirrored: pause.interrupts.map((interrupt) => ({
      interruptId: mirroredInterruptId(pause.childWorkflowId, interrupt.interruptId),
      childInterruptId: interrupt.interruptId,
    })),
  };
}

/** A paused child's open interrupts as the parent's: same kind, tool, arguments and schema, on the parent's subagent call. */
export function mirroredInterrupts(call: Call, pause: SubagentPause): AgentEventBody[] {
  return pause.interrupts.map((interrupt) => ({
    ...interrupt,
    interruptId: mirroredInterruptId(pause.childWorkflowId, interrupt.interruptId),
    toolCallId: call.id,
    message: `${interrupt.message} (asked by the subagent ${call.name}, workflow ${pause.childWorkflowId})`,
  }));
}
