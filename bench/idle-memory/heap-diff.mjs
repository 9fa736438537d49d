// node heap-diff.mjs before.heapsnapshot after.heapsnapshot N [top]: the per-subscription
// difference between two heap snapshots, bytes and counts by a signature of each object
// (constructor and property names, closure source location, retainers of arrays and promises).
import fs from 'node:fs';
function load(file) {
  const s = JSON.parse(fs.readFileSync(file, 'utf8'));
  const m = s.snapshot.meta,
    f = m.node_fields,
    ef = m.edge_fields,
    types = m.node_types[0],
    etypes = m.edge_types[0];
  const nf = f.length,
    enf = ef.length,
    iType = f.indexOf('type'),
    iName = f.indexOf('name'),
    iSize = f.indexOf('self_size'),
    iEC = f.indexOf('edge_count');
  const eType = ef.indexOf('type'),
    eName = ef.indexOf('name_or_index'),
    eTo = ef.indexOf('to_node');
  const n = s.nodes,
    e = s.edges,
    S = s.strings;
  const count = n.length / nf;
  const firstEdge = new Uint32Array(count + 1);
  for (let i = 0, ei = 0; i < count; i++) {
    firstEdge[i] = ei;
    ei += n[i * nf + iEC] * enf;
  }
  firstEdge[count] = e.length;
  const retainer = new Int32Array(count).fill(-1),
    retEdge = new Array(count);
  for (let i = 0; i < count; i++)
    for (let ei = firstEdge[i]; ei < firstEdge[i + 1]; ei += enf) {
      const to = e[ei + eTo] / nf;
      const et = etypes[e[ei + eType]];
      if (et === 'weak') continue;
      if (retainer[to] === -1 || types[n[retainer[to] * nf + iType]] === 'hidden') {
        retainer[to] = i;
        retEdge[to] = et === 'element' || et === 'hidden' ? '[' + e[ei + eName] + ']' : S[e[ei + eName]];
      }
    }
  const type = (i) => types[n[i * nf + iType]],
    name = (i) => S[n[i * nf + iName]];
  const edges = (i) => {
    const out = [];
    for (let ei = firstEdge[i]; ei < firstEdge[i + 1]; ei += enf)
      out.push([etypes[e[ei + eType]], e[ei + eName], e[ei + eTo] / nf]);
    return out;
  };
  const propNames = (i, kinds) =>
    edges(i)
      .filter(([t]) => kinds.includes(t))
      .map(([, nm]) => S[nm])
      .filter((x) => x && !x.startsWith('<symbol'))
      .slice(0, 10)
      .join(',');
  const scriptOf = (i) => {
    for (const [, nm, to] of edges(i))
      if (S[nm] === 'shared') {
        for (const [, nm2, to2] of edges(to))
          if (S[nm2] === 'script_or_debug_info') return name(to2).split('/').slice(-2).join('/');
      }
    return '?';
  };
  const locs = new Map();
  if (s.locations) {
    const lf = m.location_fields.length;
    for (let k = 0; k < s.locations.length; k += lf)
      locs.set(s.locations[k] / nf, s.locations[k + 2] + 1 + ':' + s.locations[k + 3]);
  }
  const sig = (i, depth = 0) => {
    const t = type(i),
      nm = name(i);
    if (t === 'string' || t === 'concatenated string' || t === 'sliced string')
      return 'str:' + JSON.stringify(nm.slice(0, 50));
    if (t === 'closure') return 'closure:' + nm + '@' + scriptOf(i) + ':' + (locs.get(i) ?? '');
    if (t === 'object' && nm === 'system / Context') return 'ctx{' + propNames(i, ['context']) + '}';
    if (t === 'object' && nm === 'Array' && depth < 2) {
      const r = retainer[i];
      return 'obj:Array <-' + retEdge[i] + '- ' + (r >= 0 ? sig(r, depth + 1) : '?');
    }
    if (t === 'object') return 'obj:' + nm + '{' + propNames(i, ['property']) + '}';
    if (
      depth < 3 &&
      (t === 'array' ||
        t === 'hidden' ||
        t === 'number' ||
        (t === 'object' && (nm === 'Promise' || nm === 'Generator')) ||
        (t === 'object' && nm === 'system / Context' && false))
    ) {
      const r = retainer[i];
      return t + ':' + nm + ' <-' + retEdge[i] + '- ' + (r >= 0 ? sig(r, depth + 1) : '?');
    }
    if (t === 'object shape' && depth < 2) {
      const r = retainer[i];
      return t + ':' + nm + ' <-' + retEdge[i] + '- ' + (r >= 0 ? sig(r, depth + 1) : '?');
    }
    return t + ':' + nm;
  };
  const agg = new Map();
  for (let i = 0; i < count; i++) {
    const k = sig(i);
    const a = agg.get(k) ?? { count: 0, size: 0 };
    a.count++;
    a.size += n[i * nf + iSize];
    agg.set(k, a);
  }
  return agg;
}
const [a, b, N] = [load(process.argv[2]), load(process.argv[3]), Number(process.argv[4])];
const rows = [];
for (const [k, v] of b) {
  const o = a.get(k) ?? { count: 0, size: 0 };
  rows.push([k, (v.count - o.count) / N, (v.size - o.size) / N]);
}
rows.sort((x, y) => y[2] - x[2]);
let total = 0;
for (const r of rows) total += r[2];
console.log('total self bytes/sub', total.toFixed(0));
for (const r of rows.slice(0, Number(process.argv[5] ?? 60)))
  if (Math.abs(r[2]) >= 8) console.log(r[2].toFixed(1).padStart(8), r[1].toFixed(2).padStart(6), r[0].slice(0, 230));
