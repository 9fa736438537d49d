import type { InterruptDecision } from '../events/index.js';
import type { PubSub } from '../pubsub/index.js';
import { DECISIONS_BY_KIND, type InterruptAnswer, type Store, type WorkflowRecord } from '../store/index.js';
import { ArgumentValidator } from '../tools/argument-validator.js';
import type { RunManager } from './run-manager.js';

/** One answer as `respondToInterrupts` takes it (docs/human-in-the-loop.md). */
export interface InterruptResponse {
  interruptId: string;
  decision: InterruptDecision;
  value?: unknown;
  arguments?: unknown;
  /** REJECT: why; stored as the InterruptResolved's `comment`. */
  message?: string | null;
}

export interface RespondRequest {
  workflowId: string;
  tenantId: string;
  /** The principal answering: `InterruptResolved.respondedBy`. */
  respondedBy: string;
  responses: readonly InterruptResponse[];
}

export type RespondOutcome =
  | { kind: 'answered'; workflow: WorkflowRecord; resumed: boolean; committed: number }
  | { kind: 'notFound' }
  | { kind: 'notOpen'; interruptId: string; status: string }
  | { kind: 'invalid'; issues: { field: string; message: string }[] };

export interface InterruptAnswerDeps {
  store: Store;
  pubsub: PubSub;
  runs: Pick<RunManager, 'resume' | 'instanceId' | 'leaseMs'>;
  /** Told about each answer committed and each resume (metrics). */
  onAnswered?: (answers: number, resumed: boolean) => void;
}

const validator = new ArgumentValidator();

/**
 * `respondToInterrupts`: checks every answer against its interrupt (the decision fits the kind,
 * a RESPOND value fits `responseSchema`, edited arguments fit the tool's schema) before anything
 * is written; then the store records them in one transaction, which also hands the workflow to
 * this instance when the last open interrupt is answered; the committed InterruptResolved
 * events are published, and the run resumes here.
 */
export async function respondToInterrupts(deps: InterruptAnswerDeps, request: RespondRequest): Promise<RespondOutcome> {
  const issues: { field: string; message: string }[] = [];
  const seen = new Set<string>();
  request.responses.forEach((response, index) => {
    if (seen.has(response.interruptId))
      issues.push({ field: `responses[${index}].interruptId`, message: 'answers the same interrupt twice' });
    seen.add(response.interruptId);
  });
  if (request.responses.length === 0) issues.push({ field: 'responses', message: 'must hold at least one answer' });
  if (issues.length > 0) return { kind: 'invalid', issues };

  const viaParent = await answerThroughParent(deps, request);
  if (viaParent) return viaParent;

  const paused = await deps.store.interrupts.read(request.workflowId);
  if (!paused || paused.workflow.tenantId !== request.tenantId) return { kind: 'notFound' };
  const answers: { interruptId: string; answer: InterruptAnswer }[] = [];
  for (const [index, response] of request.responses.entries()) {
    const interrupt = paused.pause?.interrupts.find(
      (candidate) => candidate.request.interruptId === response.interruptId,
    );
    if (!interrupt) return { kind: 'notOpen', interruptId: response.interruptId, status: paused.workflow.status };
    const at = `responses[${index}]`;
    const kind = interrupt.request.kind ?? 'INPUT';
    const allowed = DECISIONS_BY_KIND[kind] as readonly string[];
    if (!allowed.includes(response.decision)) {
      issues.push({
        field: `${at}.decision`,
        message: `${response.decision} does not answer a ${kind} interrupt (use ${allowed.join(', ')})`,
      });
      continue;
    }
    if (response.decision === 'RESPOND') {
      if (response.value === undefined || response.value === null) {
        if (interrupt.request.responseSchema) issues.push({ field: `${at}.value`, message: 'is required' });
      } else if (isSchema(interrupt.request.responseSchema)) {
        const check = validator.check(interrupt.request.responseSchema, response.value, `${at}.value`);
        if (!check.ok) issues.push(...check.issues);
      }
    }
    if (response.decision === 'APPROVE' && response.arguments !== undefined && response.arguments !== null) {
      if (isSchema(interrupt.argumentsSchema)) {
        const check = validator.check(interrupt.argumentsSchema, response.arguments, `${at}.arguments`);
        if (!check.ok) issues.push(...check.issues);
      } else if (typeof response.arguments !== 'object' || Array.isArray(response.arguments)) {
        issues.push({ field: `${at}.arguments`, message: 'must be a JSON object' });
      }
    }
    answers.push({
      interruptId: response.interruptId,
      answer: {
        decision: response.decision,
        value: response.decision === 'RESPOND' ? (response.value ?? null) : null,
        arguments: response.decision === 'APPROVE' ? (response.arguments ?? null) : null,
        comment: response.message ?? null,
        respondedBy: request.respondedBy,
      },
    });
  }
  if (issues.length > 0) return { kind: 'invalid', issues };

  const outcome = await deps.store.interrupts.answer({
    workflowId: request.workflowId,
    tenantId: request.tenantId,
    answers,
    owner: deps.runs.instanceId,
    leaseExpiresAt: new Date(Date.now() + deps.runs.leaseMs),
  });
  if (outcome.kind === 'notFound') return outcome;
  if (outcome.kind === 'notOpen') return outcome;
  if (outcome.events.length > 0) {
    deps.pubsub.publish(request.workflowId, outcome.events);
    deps.onAnswered?.(outcome.events.length, outcome.resume !== null);
  }
  if (outcome.resume) {
    deps.pubsub.publishWorkflowUpdate(outcome.workflow);
    await deps.runs.resume({ workflow: outcome.workflow, epoch: outcome.resume.epoch, pause: outcome.resume.pause });
  }
  const workflow = (await deps.store.getWorkflow(request.workflowId)) ?? outcome.workflow;
  return { kind: 'answered', workflow, resumed: outcome.resume !== null, committed: outcome.events.length };
}

/**
 * The parent's interrupt that mirrors an open interrupt of a paused subagent child: a parent
 * whose subagent call waits on a child waits on these (docs/runtime.md, "Subagents").
 */
export function mirroredInterruptId(childWorkflowId: string, childInterruptId: string): string {
  return `subagent_${childWorkflowId}_${childInterruptId}`;
}

/**
 * Answers addressed to a subagent child whose parent waits on them go to the parent's mirrored
 * interrupts instead: the parent resumes, hands the answers on to the child and waits for it,
 * so the child's answer reaches the parent's loop whichever workflow was answered. Null when
 * the workflow has no parent waiting on every one of these interrupts.
 */
async function answerThroughParent(deps: InterruptAnswerDeps, request: RespondRequest): Promise<RespondOutcome | null> {
  const parentId = await deps.store.links.parentOf(request.workflowId);
  if (parentId === null) return null;
  const parent = await deps.store.interrupts.read(parentId);
  if (!parent || parent.workflow.tenantId !== request.tenantId || parent.workflow.status !== 'INPUT_REQUIRED')
    return null;
  const open = new Set(
    (parent.pause?.interrupts ?? [])
      .filter((interrupt) => interrupt.answer === null)
      .map((interrupt) => interrupt.request.interruptId),
  );
  const responses = request.responses.map((response) => ({
    ...response,
    interruptId: mirroredInterruptId(request.workflowId, response.interruptId),
  }));
  if (!responses.every((response) => open.has(response.interruptId))) return null;
  const outcome = await respondToInterrupts(deps, { ...request, workflowId: parentId, responses });
  switch (outcome.kind) {
    case 'answered':
      return { ...outcome, workflow: (await deps.store.getWorkflow(request.workflowId)) ?? outcome.workflow };
    case 'notOpen': {
      const original = request.responses.find(
        (response) => mirroredInterruptId(request.workflowId, response.interruptId) === outcome.interruptId,
      );
      return { ...outcome, interruptId: original?.interruptId ?? outcome.interruptId };
    }
    default:
      // notFound, or invalid: its issues name the answers by index, which the redirect keeps.
      return outcome;
  }
}

function isSchema(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
