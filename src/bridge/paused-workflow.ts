import type { AgentEventBody } from '../events/index.js';
import type { Logger } from '../logger.js';
import type { PubSub } from '../pubsub/index.js';
import { readStoredText, type LeaseTakeover, type Store } from '../store/index.js';
import { WorkflowWriter, type WriterLease, type WriterOptions } from './workflow-writer.js';

/**
 * A writer for a workflow this instance just took over from its pause (an answer, a cancel, an
 * expiry) at `takeover.epoch`: it continues the stored sequence and text, and is fenced at that
 * epoch like any owner's writer.
 */
export async function writerAfterPause(
  deps: { store: Store; pubsub: PubSub; logger: Logger },
  takeover: LeaseTakeover,
  writerOptions: WriterOptions,
  onLost?: WriterLease['onLost'],
): Promise<WorkflowWriter> {
  return (await resumedWriter(deps, takeover, writerOptions, onLost)).writer;
}

/** `writerAfterPause`, and the workflow's text up to the pause (its committed deltas). */
export async function resumedWriter(
  deps: { store: Store; pubsub: PubSub; logger: Logger },
  takeover: LeaseTakeover,
  writerOptions: WriterOptions,
  onLost?: WriterLease['onLost'],
): Promise<{ writer: WorkflowWriter; textBefore: string }> {
  const { workflow, epoch } = takeover;
  const writer = new WorkflowWriter(
    deps,
    workflow.id,
    workflow.lastSequence,
    writerOptions,
    onLost ? { epoch, onLost } : { epoch },
  );
  // The terminal commit writes the row's text, which a paused workflow's row does not hold.
  const textBefore = await readStoredText(deps.store, workflow.id);
  writer.continueText(textBefore);
  return { writer, textBefore };
}

/**
 * Ends a paused workflow that this instance took over with one terminal event (RunCancelled for a
 * CANCEL answer or cancelWorkflow, RunFailed INTERRUPT_EXPIRED for an expiry), committed and
 * published like any batch. True when it was committed.
 */
export async function endPausedWorkflow(
  deps: { store: Store; pubsub: PubSub; logger: Logger },
  takeover: LeaseTakeover,
  terminal: AgentEventBody,
  writerOptions: WriterOptions = {},
): Promise<boolean> {
  const writer = await writerAfterPause(deps, takeover, writerOptions);
  const usage = takeover.workflow.usage;
  const body =
    (terminal.type === 'RunFailed' || terminal.type === 'RunCancelled') && terminal.usage === null && usage
      ? { ...terminal, usage }
      : terminal;
  writer.append(body);
  await writer.flush();
  return writer.error === null;
}
