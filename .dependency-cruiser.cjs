// The stage order of docs/architecture.md, checked by dependency-cruiser (`npm run lint:boundaries`;
// docs/contributing.md, "Boundaries").
//
// Stages, in pipeline order. A module may import its own stage and any earlier one; importing a
// later stage is allowed only through that stage's contract modules (CONTRACTS below), the
// interfaces an earlier stage calls: the bridge commits through the `Store` interface and
// publishes through the `PubSub` interface without knowing either implementation.
// Type-only imports count: a type from a later stage ties the earlier one to it just the same.
const STAGES = [
  {
    name: 'foundation',
    // Leaf modules every stage may use: the event model, configuration, the error family, logs,
    // metrics and tracing (observability reaches the store only through its contract).
    path: '^src/(events|config|observability|errors)/|^src/(logger|json-schema|redis-client)\\.ts$',
  },
  { name: 'transport', path: '^src/transport/' },
  { name: 'dialects', path: '^src/dialects/' },
  { name: 'tools', path: '^src/tools/' },
  { name: 'bridge', path: '^src/bridge/' },
  { name: 'store', path: '^src/store/' },
  { name: 'pubsub', path: '^src/pubsub/' },
  { name: 'subscription', path: '^src/subscription/' },
  // The agent loop drives model dialects and tools and runs subagents as workflows through the
  // bridge; only the server wires it in.
  { name: 'runtime', path: '^src/runtime/' },
  { name: 'schema', path: '^src/schema/' },
  { name: 'outward', path: '^src/outward/' },
  { name: 'server', path: '^src/server/' },
  // A fake upstream for tests and local trials: only the CLI and the package entry load it.
  { name: 'mock-upstream', path: '^src/mock-upstream/' },
  { name: 'cli', path: '^src/cli/|^src/index\\.ts$' },
];

// The contracts a stage publishes to the earlier stages that call it (docs/architecture.md,
// "Stage order").
const CONTRACTS = [
  // The Store interface, its records and errors, and read helpers over a Store.
  '^src/store/(index|types)\\.ts$',
  // The PubSub interface and its messages.
  '^src/pubsub/(index|types)\\.ts$',
];

const laterThan = (index) =>
  STAGES.slice(index + 1)
    .map((stage) => `(?:${stage.path})`)
    .join('|');

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...STAGES.slice(0, -1).map((stage, index) => ({
      name: `stage-order:${stage.name}`,
      severity: 'error',
      comment: `${stage.name} comes before ${STAGES.slice(index + 1)
        .map((later) => later.name)
        .join(', ')} in docs/architecture.md: it may import them only through their contracts.`,
      from: { path: stage.path },
      to: { path: laterThan(index), pathNot: CONTRACTS },
    })),
    {
      name: 'client-standalone',
      severity: 'error',
      comment: 'synapse/client runs in browsers and other processes: it imports nothing of the gateway.',
      from: { path: '^src/client/' },
      to: { path: '^src/', pathNot: '^src/client/' },
    },
    {
      name: 'no-unknown-stage',
      severity: 'error',
      comment: 'Every module of src/ belongs to a stage of .dependency-cruiser.cjs (add a new folder there).',
      from: {
        path: '^src/',
        pathNot: [...STAGES.map((stage) => stage.path), '^src/client/'],
      },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    // Count `import type` too (see above).
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
