import type { CodegenConfig } from '@graphql-codegen/cli';
import type { Types } from '@graphql-codegen/plugin-helpers';
import { preset as clientPreset } from '@graphql-codegen/client-preset';

/**
 * Typed clients: GraphQL Code Generator's client preset turns the example operations into
 * TypedDocumentNodes and result types (`npm run codegen`). Point `documents` at your own
 * operations to generate your app's types the same way.
 */
const typedDocuments = {
  // The preset object, not the name 'client': the CLI bundles an older copy that a name
  // could resolve to, depending on who asks.
  // (Cast: the two packages pin different copies of plugin-helpers' Profiler type.)
  preset: clientPreset as Types.OutputPreset,
  presetConfig: { fragmentMasking: false },
  config: {
    scalars: { DateTime: 'string', JSON: 'unknown' },
    enumsAsTypes: true,
    useTypeImports: true,
    emitLegacyCommonJSImports: false,
    skipTypename: false,
    nonOptionalTypename: true,
  },
};

const config: CodegenConfig = {
  schema: 'schema.graphql',
  ignoreNoDocuments: false,
  generates: {
    'examples/generated/': {
      documents: ['examples/operations/**/*.graphql'],
      ...typedDocuments,
    },
    // The Studio's own operations (docs/studio.md), typed the same way.
    'studio/generated/': {
      documents: ['studio/src/**/*.graphql'],
      ...typedDocuments,
    },
    // Apollo Client's InMemoryCache needs `possibleTypes` to match fragments on the AgentEvent
    // union and the StreamEvent interface; without it, streamed data is dropped silently.
    'examples/generated/possible-types.ts': {
      plugins: ['fragment-matcher'],
      config: { useExplicitTyping: true },
    },
  },
};

export default config;
