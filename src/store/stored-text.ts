import type { Store } from './types.js';

const TEXT_PAGE = 1_000;

/**
 * The concatenated TextDeltas of a workflow, read from its stored events page by page. A
 * running workflow's row holds no text (the writer writes it with the terminal event only), so
 * this is its text so far: exact up to the last committed event.
 */
export async function readStoredText(store: Pick<Store, 'readEvents'>, workflowId: string): Promise<string> {
  const parts: string[] = [];
  for (let after = 0; ;) {
    const page = await store.readEvents(workflowId, after, TEXT_PAGE);
    for (const event of page) if (event.type === 'TextDelta') parts.push(event.delta);
    if (page.length < TEXT_PAGE) return parts.join('');
    after = page[page.length - 1]!.sequence;
  }
}
