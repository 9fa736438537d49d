import { GraphQLError, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';

const SUGGESTION = / ?Did you mean .*$/s;

function withoutSuggestion<T extends Error>(error: T): T | GraphQLError {
  if (!SUGGESTION.test(error.message)) return error;
  if (!(error instanceof GraphQLError)) return new GraphQLError(error.message.replace(SUGGESTION, ''));
  return new GraphQLError(error.message.replace(SUGGESTION, ''), {
    nodes: error.nodes ?? null,
    ...(error.path ? { path: error.path } : {}),
    extensions: error.extensions,
  });
}

function stripResult(result: ExecutionResult, setResult: (result: ExecutionResult) => void): void {
  if (result.errors?.some((error) => SUGGESTION.test(error.message))) {
    setResult({ ...result, errors: result.errors.map((error) => withoutSuggestion(error)) });
  }
}

/**
 * Production: no "Did you mean …?" anywhere (docs/security.md). Without introspection they would
 * still spell the schema out name by name: in validation errors, and in the errors of variables
 * that do not coerce (`Field "agentI" is not defined by type "RunAgentInput". Did you mean
 * "agentId"?`), which graphql-js reports from execution. An envelop plugin, so graphql-ws too.
 */
export function useNoSuggestions(): Plugin {
  return {
    onValidate() {
      return ({ result, setResult }) => {
        if (result.some((error) => SUGGESTION.test(error.message)))
          setResult(result.map((error) => withoutSuggestion(error)));
      };
    },
    onExecute() {
      return {
        onExecuteDone: ({ result, setResult }) => void (isExecutionResult(result) && stripResult(result, setResult)),
      };
    },
    onSubscribe() {
      return {
        onSubscribeResult: ({ result, setResult }) =>
          void (isExecutionResult(result) && stripResult(result, setResult)),
      };
    },
  };
}

function isExecutionResult(result: unknown): result is ExecutionResult {
  return typeof result === 'object' && result !== null && !(Symbol.asyncIterator in result);
}
