import {
  getNamedType,
  getNullableType,
  isAbstractType,
  isListType,
  isObjectType,
  Kind,
  OperationTypeNode,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

/**
 * A list whose size no argument states (`Query.agents`, `Workflow.toolCalls`, …) is assumed to
 * hold this many items.
 */
export const ASSUMED_LIST_SIZE = 10;

/** Page sizes a resolver applies when the operation gives neither `first` nor `last`. */
const RESOLVER_PAGE_DEFAULTS: Record<string, number> = { 'Query.workflows': 20 };

/** Numbers saturate here instead of overflowing (and are reported as "more than"). */
export const COST_SATURATED = 1e12;

export interface OperationCost {
  /** Everything but introspection: checked against `limits.maxCost`. */
  cost: number;
  /** The `__schema` and `__type` fields: checked against `limits.maxIntrospectionCost`. */
  introspectionCost: number;
}

/**
 * The estimated cost of the operation that will run, the one model for every operation and
 * transport (docs/security.md, "How cost is estimated"):
 *
 * - every field that returns objects costs 1 per object, plus its selection's cost per object
 *   (scalar and enum fields come with their object and cost nothing);
 * - a list's size is its `first` (or `last`) argument, whether a literal, a variable or a
 *   default (the variable's, then the schema's, then the resolver's); a connection's `edges`
 *   are the page its field already paid for; introspection lists are as long as the schema
 *   makes them (the number of types; the most fields, arguments, … any type has); any other
 *   list is `ASSUMED_LIST_SIZE`;
 * - an abstract selection (interface, union) costs its most expensive possible type, not the sum;
 * - nested lists multiply.
 *
 * Linear in the document times the possible types: each (selection set, type) pair is measured
 * once, so fragments spread many times are free to measure however costly they are to run.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | null | undefined,
): OperationCost {
  let introspectionCost = 0;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const variableDefaults = new Map<string, ValueNode>();
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue) variableDefaults.set(definition.variable.name.value, definition.defaultValue);
  }
  const introspection = introspectionSizes(schema);
  const memo = new Map<SelectionSetNode, Map<string, number>>();
  const inProgress = new Set<SelectionSetNode>();

  const argumentValue = (field: FieldNode, name: string): unknown => {
    const node = field.arguments?.find((argument) => argument.name.value === name)?.value;
    if (!node) return undefined;
    if (node.kind !== Kind.VARIABLE) return valueFromASTUntyped(node);
    const variable = node.name.value;
    if (variables && variables[variable] !== undefined) return variables[variable];
    const fallback = variableDefaults.get(variable);
    return fallback ? valueFromASTUntyped(fallback) : undefined;
  };

  /** The page size a field asks for, or undefined when it takes none. */
  const pageSize = (
    field: FieldNode,
    parent: GraphQLObjectType,
    definition: GraphQLField<unknown, unknown>,
  ): number | undefined => {
    for (const name of ['first', 'last']) {
      const argument = definition.args.find((entry) => entry.name === name);
      if (!argument) continue;
      const given = argumentValue(field, name);
      const value = given !== undefined && given !== null ? given : argument.defaultValue;
      if (typeof value === 'number' && Number.isFinite(value)) return Math.max(1, Math.min(value, COST_SATURATED));
    }
    const hasPaging = definition.args.some((entry) => entry.name === 'first' || entry.name === 'last');
    if (!hasPaging) return undefined;
    return RESOLVER_PAGE_DEFAULTS[`${parent.name}.${definition.name}`] ?? ASSUMED_LIST_SIZE;
  };

  const listSize = (parent: GraphQLObjectType, definition: GraphQLField<unknown, unknown>): number => {
    const known = introspection.get(`${parent.name}.${definition.name}`);
    if (known !== undefined) return known;
    // A connection's edges (or nodes) are the page its field was charged for.
    if (parent.name.endsWith('Connection') && (definition.name === 'edges' || definition.name === 'nodes')) return 1;
    return ASSUMED_LIST_SIZE;
  };

  const fieldDefinition = (parent: GraphQLObjectType, name: string): GraphQLField<unknown, unknown> | undefined => {
    if (name === SchemaMetaFieldDef.name && parent === schema.getQueryType()) return SchemaMetaFieldDef;
    if (name === TypeMetaFieldDef.name && parent === schema.getQueryType()) return TypeMetaFieldDef;
    return parent.getFields()[name];
  };

  const fieldCost = (field: FieldNode, parent: GraphQLObjectType): number => {
    if (!field.selectionSet) return 0; // a scalar or enum comes with the object that holds it
    const definition = fieldDefinition(parent, field.name.value);
    if (!definition) return 1; // validation reports it
    const inner = selectionCost(field.selectionSet, getNamedType(definition.type));
    // A page size applies to the field's list, or (a connection) to everything it selects.
    const page = pageSize(field, parent, definition);
    let multiplier = page ?? 1;
    let outer = true;
    // Every list wrapper multiplies: [[T]] is a list of lists.
    for (let type = getNullableType(definition.type); isListType(type); type = getNullableType(type.ofType)) {
      if (!(outer && page !== undefined)) multiplier = saturate(multiplier * listSize(parent, definition));
      outer = false;
    }
    // A list costs each of its objects; a connection field costs itself once and its page per item.
    const cost = isListType(getNullableType(definition.type))
      ? saturate(multiplier * (1 + inner))
      : saturate(1 + multiplier * inner);
    if (definition === SchemaMetaFieldDef || definition === TypeMetaFieldDef) {
      introspectionCost = saturate(introspectionCost + cost);
      return 0;
    }
    return cost;
  };

  /** The cost of a selection set on a type; on an abstract type, its costliest possible type. */
  const selectionCost = (selectionSet: SelectionSetNode, type: GraphQLNamedType): number => {
    let byType = memo.get(selectionSet);
    const known = byType?.get(type.name);
    if (known !== undefined) return known;
    if (inProgress.has(selectionSet)) return 0; // a fragment cycle: validation reports it
    inProgress.add(selectionSet);
    let cost = 0;
    if (isAbstractType(type)) {
      for (const possible of schema.getPossibleTypes(type)) cost = Math.max(cost, concreteCost(selectionSet, possible));
    } else if (isObjectType(type)) {
      cost = concreteCost(selectionSet, type);
    }
    inProgress.delete(selectionSet);
    if (!byType) memo.set(selectionSet, (byType = new Map()));
    byType.set(type.name, cost);
    return cost;
  };

  const concreteCost = (selectionSet: SelectionSetNode, type: GraphQLObjectType): number => {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        cost = saturate(cost + fieldCost(selection, type));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (!selection.typeCondition || applies(selection.typeCondition.name.value, type)) {
          cost = saturate(cost + selectionCost(selection.selectionSet, type));
        }
      } else {
        const fragment = fragments.get(selection.name.value);
        if (fragment && applies(fragment.typeCondition.name.value, type)) {
          cost = saturate(cost + selectionCost(fragment.selectionSet, type));
        }
      }
    }
    return cost;
  };

  const applies = (condition: string, type: GraphQLObjectType): boolean => {
    if (condition === type.name) return true;
    const conditionType = schema.getType(condition);
    return conditionType !== undefined && isAbstractType(conditionType) && schema.isSubType(conditionType, type);
  };

  const root =
    operation.operation === OperationTypeNode.QUERY
      ? schema.getQueryType()
      : operation.operation === OperationTypeNode.MUTATION
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  if (!root) return { cost: 0, introspectionCost: 0 };
  const cost = selectionCost(operation.selectionSet, root);
  return { cost, introspectionCost };
}

function saturate(value: number): number {
  return value > COST_SATURATED ? COST_SATURATED : value;
}

const introspectionCache = new WeakMap<GraphQLSchema, Map<string, number>>();

/** How long each introspection list of this schema can be: the longest of its kind. */
function introspectionSizes(schema: GraphQLSchema): Map<string, number> {
  const cached = introspectionCache.get(schema);
  if (cached) return cached;
  const types = Object.values(schema.getTypeMap());
  const most = (count: (type: GraphQLNamedType) => number) => Math.max(1, ...types.map(count));
  const fieldsOf = (type: GraphQLNamedType) => ('getFields' in type ? Object.values(type.getFields()) : []);
  const directives = schema.getDirectives();
  const sizes = new Map<string, number>([
    ['__Schema.types', types.length],
    ['__Schema.directives', directives.length],
    ['__Type.fields', most((type) => fieldsOf(type).length)],
    ['__Type.inputFields', most((type) => fieldsOf(type).length)],
    ['__Type.enumValues', most((type) => ('getValues' in type ? type.getValues().length : 0))],
    ['__Type.interfaces', most((type) => ('getInterfaces' in type ? type.getInterfaces().length : 0))],
    ['__Type.possibleTypes', most((type) => (isAbstractType(type) ? schema.getPossibleTypes(type).length : 0))],
    [
      '__Field.args',
      most((type) => Math.max(0, ...fieldsOf(type).map((field) => ('args' in field ? field.args.length : 0)))),
    ],
    ['__Directive.args', Math.max(1, ...directives.map((directive) => directive.args.length))],
    ['__Directive.locations', Math.max(1, ...directives.map((directive) => directive.locations.length))],
  ]);
  introspectionCache.set(schema, sizes);
  return sizes;
}
