/**
 * Where a server's promoted garbage was allocated: `npx tsx bench/promoted-summary.ts <file> [top]`
 * for a profile from `bench/lib/promoted-heap.ts`. Prints the sampled bytes by allocating
 * function, and by the nearest frame of the gateway's own code (`dist/` or `src/`) above it.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: ProfileNode[];
}

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: npx tsx bench/promoted-summary.ts <file.heapprofile> [top]');
  process.exit(1);
}
const top = Number(topArg ?? 25);
const { head } = JSON.parse(readFileSync(file, 'utf8')) as { head: ProfileNode };

const OWN = /\/(dist|src)\/(?!.*node_modules)/;
const label = ({ functionName, url, lineNumber }: ProfileNode['callFrame']) =>
  `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(/^.*\/(dist|src)\//, '$1/')}:${lineNumber + 1}`;

const bySite = new Map<string, number>();
const byOwn = new Map<string, number>();
let total = 0;
const walk = (node: ProfileNode, own: string | null) => {
  const here = label(node.callFrame);
  const nearest = OWN.test(node.callFrame.url) ? here : own;
  if (node.selfSize > 0) {
    total += node.selfSize;
    bySite.set(here, (bySite.get(here) ?? 0) + node.selfSize);
    const key = `${nearest ?? '(no frame of ours)'}  <=  ${here}`;
    byOwn.set(key, (byOwn.get(key) ?? 0) + node.selfSize);
  }
  for (const child of node.children) walk(child, nearest);
};
walk(head, null);

const print = (title: string, sizes: Map<string, number>) => {
  console.log(title);
  for (const [key, size] of [...sizes].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`${(size / 1e6).toFixed(2).padStart(8)} MB  ${((size / total) * 100).toFixed(1).padStart(5)}%  ${key}`);
};
console.log(`sampled: ${(total / 1e6).toFixed(1)} MB (promoted garbage and what was still alive at the end)`);
print('by allocating function', bySite);
print('by the nearest frame of ours', byOwn);
