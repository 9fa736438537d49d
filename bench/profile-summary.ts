/**
 * Where a server spent its CPU: `npx tsx bench/profile-summary.ts <file.cpuprofile> [top] [--last MS | --busiest MS [--skip MS]]`
 * (profiles from `npm run bench -- --cpu-prof`). Prints self time by function and by package, and
 * total (inclusive) time of the functions that hold the most. `--last MS` keeps only the samples
 * of the profile's final MS milliseconds; `--busiest MS` the MS milliseconds with the least idle
 * time (a saturation scenario, neither start-up nor shutdown), after the first `--skip MS`
 * milliseconds (the start-up). Idle is left out of the
 * percentages.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { last: { type: 'string' }, busiest: { type: 'string' }, skip: { type: 'string', default: '0' } },
});
const [file, topArg] = positionals;
if (!file) {
  console.error(
    'usage: npx tsx bench/profile-summary.ts <file.cpuprofile> [top] [--last MS | --busiest MS [--skip MS]]',
  );
  process.exit(1);
}
const top = Number(topArg ?? 30);
const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };

// Sample times, so that a window at the end can be kept.
const times: number[] = [];
let clock = 0;
for (const delta of profile.timeDeltas) times.push((clock += delta));
// A sample's weight is its time delta, capped at twice the usual interval: on a loaded machine
// the process is descheduled for milliseconds at a time, and that wait would otherwise be
// charged to whatever function happened to run next.
const usual = [...profile.timeDeltas].sort((a, b) => a - b)[Math.floor(profile.timeDeltas.length / 2)] ?? 1000;
const weight = (index: number) => Math.min(profile.timeDeltas[index] ?? 0, 2 * usual);
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const isIdle = (id: number) => nodes.get(id)?.callFrame.functionName === '(idle)';

let from = values.last ? clock - Number(values.last) * 1000 : Number.NEGATIVE_INFINITY;
let to = Number.POSITIVE_INFINITY;
if (values.busiest) {
  // Sliding window over the samples: the one holding the most non-idle time.
  const width = Number(values.busiest) * 1000;
  let busy = 0;
  let best = -1;
  let start = 0;
  const skipUs = Number(values.skip) * 1000;
  for (let end = 0; end < profile.samples.length; end++) {
    if (times[end]! < skipUs) {
      start = end + 1;
      continue;
    }
    if (!isIdle(profile.samples[end]!)) busy += weight(end);
    while (times[end]! - times[start]! > width) {
      if (!isIdle(profile.samples[start]!)) busy -= weight(start);
      start++;
    }
    if (busy > best) {
      best = busy;
      from = times[start]!;
      to = times[end]!;
    }
  }
}
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

const keyOf = (node: Node) => {
  const { functionName, url, lineNumber } = node.callFrame;
  const short = url
    .replace(/^file:\/\//, '')
    .replace(/.*\/node_modules\//, 'node_modules/')
    .replace(/.*\/(src|bench)\//, '$1/');
  return { key: `${functionName || '(anonymous)'}  ${short}:${lineNumber + 1}`, short };
};

const selfUs = new Map<number, number>();
profile.samples.forEach((id, index) => {
  if (times[index]! < from || times[index]! > to) return;
  if (isIdle(id)) return;
  selfUs.set(id, (selfUs.get(id) ?? 0) + weight(index));
});
const total = [...selfUs.values()].reduce((sum, n) => sum + n, 0);
const byFunction = new Map<string, number>();
const byPackage = new Map<string, number>();
const inclusive = new Map<string, number>();
for (const [id, us] of selfUs) {
  const node = nodes.get(id)!;
  const { key, short } = keyOf(node);
  const { functionName, url } = node.callFrame;
  byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  const pkg =
    url === ''
      ? `(${functionName || 'native'})`
      : (/node_modules\/((@[^/]+\/)?[^/]+)/.exec(url)?.[1] ??
        (url.startsWith('node:') ? 'node internals' : short.split('/').slice(0, 2).join('/')));
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
  // Each function on the stack once (recursion counted once).
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const k = keyOf(nodes.get(at)!).key;
    if (seen.has(k)) continue;
    seen.add(k);
    inclusive.set(k, (inclusive.get(k) ?? 0) + us);
  }
}
const print = (title: string, map: Map<string, number>, limit: number) => {
  console.log(`\n${title} (of ${(total / 1000).toFixed(0)} ms sampled, idle excluded)`);
  for (const [key, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, limit))
    console.log(`${((us / total) * 100).toFixed(1).padStart(6)}%  ${key}`);
};
print('self time by package / folder', byPackage, 20);
print('self time by function', byFunction, top);
print('total time by function (self + callees)', inclusive, top);
