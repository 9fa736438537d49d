import {
  Kind,
  type ASTVisitor,
  type FieldNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { limitExceeded } from './limit-error.js';

export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
}

interface Measure {
  depth: number;
  aliases: number;
}

const INTROSPECTION_FIELDS = new Set(['__schema', '__type']);
const ZERO: Measure = { depth: 0, aliases: 0 };

/**
 * One validation rule for the shape limits of an operation: depth, aliases (each counted with
 * fragments expanded, so a fragment spread many times counts many times) and directives. Runs in
 * yoga's validation on HTTP, SSE and graphql-ws alike. Introspection fields count for aliases but
 * not for depth (the standard introspection query nests type references deeper than maxDepth);
 * their cost is bounded by `maxIntrospectionCost` (operation-cost.ts, checked before execution,
 * where variable values are known). Fragments are measured once and cycles are cut, so the rule
 * itself is linear in the document whatever a hostile document looks like.
 */
export function createOperationLimitsRule(limits: OperationLimits): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const fragmentMeasures = new Map<string, Measure>();
    const inProgress = new Set<string>();

    const measureFragment = (name: string): Measure => {
      const known = fragmentMeasures.get(name);
      if (known) return known;
      const fragment: FragmentDefinitionNode | null | undefined = context.getFragment(name);
      if (!fragment || inProgress.has(name)) return ZERO; // unknown or cyclic: other rules report it
      inProgress.add(name);
      const measure = measureSelectionSet(fragment.selectionSet);
      inProgress.delete(name);
      fragmentMeasures.set(name, measure);
      return measure;
    };

    const measureSelectionSet = (selectionSet: SelectionSetNode): Measure => {
      let depth = 0;
      let aliases = 0;
      for (const selection of selectionSet.selections) {
        let measure: Measure;
        if (selection.kind === Kind.FIELD) measure = measureField(selection);
        else if (selection.kind === Kind.INLINE_FRAGMENT) measure = measureSelectionSet(selection.selectionSet);
        else measure = measureFragment(selection.name.value);
        depth = Math.max(depth, measure.depth);
        aliases = saturate(aliases + measure.aliases);
      }
      return { depth, aliases };
    };

    const measureField = (field: FieldNode): Measure => {
      const own = field.alias ? 1 : 0;
      if (!field.selectionSet) return { depth: 1, aliases: own };
      const inner = measureSelectionSet(field.selectionSet);
      const aliases = saturate(own + inner.aliases);
      if (INTROSPECTION_FIELDS.has(field.name.value)) return { depth: 0, aliases };
      return { depth: inner.depth + 1, aliases };
    };

    let directives = 0;
    return {
      Directive(node) {
        directives++;
        if (directives === limits.maxDirectives + 1) {
          context.reportError(
            limitExceeded(
              'maxDirectives',
              limits.maxDirectives,
              `the document uses more than ${limits.maxDirectives} directives`,
              { nodes: [node] },
            ),
          );
        }
      },
      OperationDefinition(operation) {
        const measure = measureSelectionSet(operation.selectionSet);
        if (measure.depth > limits.maxDepth) {
          context.reportError(
            limitExceeded(
              'maxDepth',
              limits.maxDepth,
              `the operation is ${measure.depth} levels deep, more than ${limits.maxDepth}`,
              { nodes: [operation] },
            ),
          );
        }
        if (measure.aliases > limits.maxAliases) {
          context.reportError(
            limitExceeded(
              'maxAliases',
              limits.maxAliases,
              `the operation uses ${measure.aliases} aliases, more than ${limits.maxAliases}`,
              { nodes: [operation] },
            ),
          );
        }
      },
    };
  };
}

const SATURATED = 1e12;

function saturate(value: number): number {
  return value > SATURATED ? SATURATED : value;
}
