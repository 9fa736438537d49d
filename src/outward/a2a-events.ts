import type { AgentEvent } from '../events/index.js';

/**
 * A2A 1.0 (JSON-RPC binding, proto-JSON field names) as Synapse serves it: the task states, the
 * task and its updates, and the mapping of the AgentEvent union onto them (docs/a2a.md, "Events").
 * Pure: no I/O; the endpoint (src/server/outward/a2a-endpoint.ts) frames what this returns.
 */

export type A2aTaskState =
  | 'TASK_STATE_SUBMITTED'
  | 'TASK_STATE_WORKING'
  | 'TASK_STATE_INPUT_REQUIRED'
  | 'TASK_STATE_COMPLETED'
  | 'TASK_STATE_FAILED'
  | 'TASK_STATE_CANCELED'
  | 'TASK_STATE_REJECTED'
  | 'TASK_STATE_AUTH_REQUIRED';

/** A part: exactly one of `text`, `data`, `url`, `raw`. */
export interface A2aPart {
  text?: string;
  data?: unknown;
  url?: string;
  raw?: string;
  mediaType?: string;
  filename?: string;
  metadata?: Record<string, unknown>;
}
export interface A2aMessage {
  messageId: string;
  contextId?: string;
  taskId?: string;
  role: 'ROLE_USER' | 'ROLE_AGENT';
  parts: A2aPart[];
  metadata?: Record<string, unknown>;
}
export interface A2aTaskStatus {
  state: A2aTaskState;
  message?: A2aMessage;
  timestamp?: string;
}
export interface A2aArtifact {
  artifactId: string;
  name?: string;
  parts: A2aPart[];
  metadata?: Record<string, unknown>;
}
export interface A2aTask {
  id: string;
  contextId: string;
  status: A2aTaskStatus;
  artifacts?: A2aArtifact[];
  history?: A2aMessage[];
  metadata?: Record<string, unknown>;
}
export interface A2aStatusUpdate {
  taskId: string;
  contextId: string;
  status: A2aTaskStatus;
  metadata?: Record<string, unknown>;
}
export interface A2aArtifactUpdate {
  taskId: string;
  contextId: string;
  artifact: A2aArtifact;
  append?: boolean;
  lastChunk?: boolean;
  metadata?: Record<string, unknown>;
}
/** One item of a streamed answer (A2A `StreamResponse`: exactly one member). */
export type A2aStreamResponse =
  | { task: A2aTask }
  | { message: A2aMessage }
  | { statusUpdate: A2aStatusUpdate }
  | { artifactUpdate: A2aArtifactUpdate };

/** The Synapse extension that makes A2A streams resumable (docs/a2a.md, "Resume"). */
export const A2A_RESUME_EXTENSION = 'urn:synapse:a2a:resume:v1';
/** Metadata key on every streamed update and snapshot: the workflow sequence it comes from. */
export const A2A_SEQUENCE_KEY = 'synapse.sequence';

/** Workflow status (GraphQL `WorkflowStatus`) to A2A task state. */
export function taskStateOf(status: string): A2aTaskState {
  switch (status) {
    case 'QUEUED':
      return 'TASK_STATE_SUBMITTED';
    case 'RUNNING':
      return 'TASK_STATE_WORKING';
    case 'INPUT_REQUIRED':
      return 'TASK_STATE_INPUT_REQUIRED';
    case 'SUCCEEDED':
      return 'TASK_STATE_COMPLETED';
    case 'CANCELLED':
      return 'TASK_STATE_CANCELED';
    default:
      return 'TASK_STATE_FAILED'; // FAILED, INTERRUPTED
  }
}

const TERMINAL_STATES: ReadonlySet<A2aTaskState> = new Set([
  'TASK_STATE_COMPLETED',
  'TASK_STATE_FAILED',
  'TASK_STATE_CANCELED',
  'TASK_STATE_REJECTED',
]);
export function isTerminalState(state: A2aTaskState): boolean {
  return TERMINAL_STATES.has(state);
}

/** The artifact a message's text streams into: one per assistant message of the workflow. */
export function textArtifactId(messageId: string): string {
  return `text-${messageId}`;
}
export const OUTPUT_ARTIFACT_ID = 'output';

/** An event body without its envelope, as a data part carries it. */
function eventData(event: AgentEvent): Record<string, unknown> {
  const { workflowId: _workflowId, at: _at, ...body } = event;
  return body;
}

/**
 * Maps one workflow's events, in order, to A2A stream responses, and folds them into the task
 * they describe (`snapshot()`): the snapshot after events 1..N plus the responses of the events
 * after N are exactly what a client that streamed from the start has.
 *
 * - TextDelta: an artifact update of the message's text artifact, `append` after its first chunk;
 *   MessageCompleted closes it (`lastChunk`, an empty text part).
 * - RunStarted, reasoning, tool activity, steps, state, usage, logs, custom events, answers to
 *   interrupts: a WORKING status update whose agent message has one data part, the event body.
 * - InterruptRequested: INPUT_REQUIRED, the question as text plus the interrupt as data.
 * - RunCompleted: the structured `output` (when there is one) as the `output` artifact, then
 *   COMPLETED with the answer text; RunFailed: FAILED with `code: message`; RunCancelled: CANCELED.
 */
export class A2aTaskMapper {
  private state: A2aTaskState = 'TASK_STATE_SUBMITTED';
  private statusMessage: A2aMessage | undefined;
  private timestamp: string | undefined;
  private readonly artifacts = new Map<string, A2aArtifact>();
  private readonly openInterrupts = new Set<string>();
  private sequence = 0;

  constructor(private readonly ids: { taskId: string; contextId: string }) {}

  get lastSequence(): number {
    return this.sequence;
  }
  get taskState(): A2aTaskState {
    return this.state;
  }

  map(event: AgentEvent): A2aStreamResponse[] {
    if (event.type === 'Heartbeat') return [];
    this.sequence = Math.max(this.sequence, event.sequence);
    this.timestamp = event.at;
    const meta = { [A2A_SEQUENCE_KEY]: event.sequence };
    switch (event.type) {
      case 'TextDelta': {
        const artifactId = textArtifactId(event.messageId);
        const existing = this.artifacts.get(artifactId);
        if (existing) existing.parts[0]!.text += event.delta;
        else this.artifacts.set(artifactId, { artifactId, name: 'answer', parts: [{ text: event.delta }] });
        this.state = 'TASK_STATE_WORKING';
        return [
          this.artifactUpdate(
            { artifactId, name: 'answer', parts: [{ text: event.delta }] },
            existing !== undefined,
            false,
            meta,
          ),
        ];
      }
      case 'MessageCompleted': {
        const artifactId = textArtifactId(event.messageId);
        const existing = this.artifacts.get(artifactId);
        if (event.role !== 'assistant') return [this.status('TASK_STATE_WORKING', this.dataMessage(event), meta)];
        // A message that came whole (no deltas) still becomes its artifact.
        if (!existing) {
          this.artifacts.set(artifactId, { artifactId, name: 'answer', parts: [{ text: event.text }] });
          return [
            this.artifactUpdate({ artifactId, name: 'answer', parts: [{ text: event.text }] }, false, true, meta),
          ];
        }
        return [this.artifactUpdate({ artifactId, name: 'answer', parts: [{ text: '' }] }, true, true, meta)];
      }
      case 'InterruptRequested': {
        this.openInterrupts.add(event.interruptId);
        const message = this.agentMessage(event, [
          { text: event.message },
          { data: eventData(event), mediaType: 'application/json' },
        ]);
        return [this.status('TASK_STATE_INPUT_REQUIRED', message, meta)];
      }
      case 'InterruptResolved': {
        this.openInterrupts.delete(event.interruptId);
        const state = this.openInterrupts.size > 0 ? 'TASK_STATE_INPUT_REQUIRED' : 'TASK_STATE_WORKING';
        return [this.status(state, this.dataMessage(event), meta)];
      }
      case 'RunCompleted': {
        const responses: A2aStreamResponse[] = [];
        if (event.output !== null && event.output !== undefined) {
          const artifact: A2aArtifact = {
            artifactId: OUTPUT_ARTIFACT_ID,
            name: 'output',
            parts: [{ data: event.output, mediaType: 'application/json' }],
          };
          this.artifacts.set(OUTPUT_ARTIFACT_ID, artifact);
          responses.push(this.artifactUpdate(artifact, false, true, meta));
        }
        const parts: A2aPart[] = event.text
          ? [{ text: event.text }]
          : [{ data: eventData(event), mediaType: 'application/json' }];
        responses.push(this.status('TASK_STATE_COMPLETED', this.agentMessage(event, parts), meta));
        return responses;
      }
      case 'RunFailed':
        return [
          this.status(
            'TASK_STATE_FAILED',
            this.agentMessage(event, [
              { text: `${event.code}: ${event.message}` },
              { data: eventData(event), mediaType: 'application/json' },
            ]),
            meta,
          ),
        ];
      case 'RunCancelled':
        return [
          this.status('TASK_STATE_CANCELED', this.agentMessage(event, [{ text: event.reason ?? 'cancelled' }]), meta),
        ];
      default: {
        const state = this.openInterrupts.size > 0 ? 'TASK_STATE_INPUT_REQUIRED' : 'TASK_STATE_WORKING';
        return [this.status(state, this.dataMessage(event), meta)];
      }
    }
  }

  /** The task as the events mapped so far describe it. */
  snapshot(): A2aTask {
    return {
      id: this.ids.taskId,
      contextId: this.ids.contextId,
      status: {
        state: this.state,
        ...(this.statusMessage ? { message: this.statusMessage } : {}),
        ...(this.timestamp ? { timestamp: this.timestamp } : {}),
      },
      artifacts: [...this.artifacts.values()].map((artifact) => ({
        ...artifact,
        parts: artifact.parts.map((part) => ({ ...part })),
      })),
      history: [],
      metadata: { [A2A_SEQUENCE_KEY]: this.sequence },
    };
  }

  private status(state: A2aTaskState, message: A2aMessage, metadata: Record<string, unknown>): A2aStreamResponse {
    this.state = state;
    this.statusMessage = message;
    const status: A2aTaskStatus = { state, message, ...(this.timestamp ? { timestamp: this.timestamp } : {}) };
    return { statusUpdate: { taskId: this.ids.taskId, contextId: this.ids.contextId, status, metadata } };
  }

  private artifactUpdate(
    artifact: A2aArtifact,
    append: boolean,
    lastChunk: boolean,
    metadata: Record<string, unknown>,
  ): A2aStreamResponse {
    return {
      artifactUpdate: { taskId: this.ids.taskId, contextId: this.ids.contextId, artifact, append, lastChunk, metadata },
    };
  }

  private dataMessage(event: AgentEvent): A2aMessage {
    return this.agentMessage(event, [{ data: eventData(event), mediaType: 'application/json' }]);
  }

  private agentMessage(event: AgentEvent, parts: A2aPart[]): A2aMessage {
    return {
      messageId: `${this.ids.taskId}:${event.sequence}`,
      contextId: this.ids.contextId,
      taskId: this.ids.taskId,
      role: 'ROLE_AGENT',
      parts,
      metadata: { [A2A_SEQUENCE_KEY]: event.sequence, 'synapse.event': event.type },
    };
  }
}
