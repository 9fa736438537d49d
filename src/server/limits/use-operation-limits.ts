import {
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  parse,
  type DocumentNode,
  type GraphQLSchema,
  type Source,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { LimitsConfig } from '../../config/index.js';
import { selectOperation } from '../auth/root-fields.js';
import { limitExceeded } from './limit-error.js';
import { COST_SATURATED, operationCost } from './operation-cost.js';
import { createOperationLimitsRule } from './operation-limits-rule.js';

/**
 * Limits on the operation document, enforced while yoga parses and validates it (so on HTTP,
 * SSE and graphql-ws alike): its size and token count before parsing, then depth, aliases and
 * directives as a validation rule, then, before it executes or subscribes (when its variables
 * are known), its estimated cost (operation-cost.ts). In production introspection is refused as
 * well.
 */
export function useOperationLimits(limits: LimitsConfig, options: { introspection: boolean }): Plugin {
  const rule = createOperationLimitsRule(limits);
  const checkCost = (args: {
    schema: GraphQLSchema;
    document: DocumentNode;
    operationName?: string | null;
    variableValues?: unknown;
  }): GraphQLError | null => {
    const operation = selectOperation(args.document, args.operationName);
    if (!operation) return null; // graphql-js reports it
    const variables =
      typeof args.variableValues === 'object' ? (args.variableValues as Record<string, unknown> | null) : null;
    const { cost, introspectionCost } = operationCost(args.schema, args.document, operation, variables);
    const shown = (value: number) => (value >= COST_SATURATED ? `more than ${COST_SATURATED}` : String(value));
    if (cost > limits.maxCost) {
      return limitExceeded(
        'maxCost',
        limits.maxCost,
        `the operation's estimated cost is ${shown(cost)}, more than ${limits.maxCost}`,
        { nodes: [operation] },
      );
    }
    if (introspectionCost > limits.maxIntrospectionCost) {
      return limitExceeded(
        'maxIntrospectionCost',
        limits.maxIntrospectionCost,
        `the operation's introspection has an estimated cost of ${shown(introspectionCost)}, more than ${limits.maxIntrospectionCost}`,
        { nodes: [operation] },
      );
    }
    return null;
  };
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const error = checkCost(args);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const error = checkCost(args);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
    onParse({ params, setParseFn }) {
      const text = typeof params.source === 'string' ? params.source : (params.source as Source).body;
      if (text.length > limits.maxOperationBytes) {
        throw limitExceeded(
          'maxOperationBytes',
          limits.maxOperationBytes,
          `the operation is ${text.length} characters long, more than ${limits.maxOperationBytes}`,
        );
      }
      setParseFn((source, parseOptions) => {
        try {
          return parse(source, { ...parseOptions, maxTokens: limits.maxTokens });
        } catch (error) {
          // graphql-js aborts with "Document contains more that N tokens" (sic).
          if (error instanceof GraphQLError && /contains more th(?:at|an) \d+ tokens/.test(error.message)) {
            throw limitExceeded(
              'maxTokens',
              limits.maxTokens,
              `the operation has more than ${limits.maxTokens} tokens`,
            );
          }
          throw error;
        }
      });
    },
    onValidate({ addValidationRule }) {
      addValidationRule(rule);
      if (options.introspection) return;
      addValidationRule(NoSchemaIntrospectionCustomRule);
      // "Did you mean …?" suggestions are stripped by useNoSuggestions (production too).
    },
  };
}
