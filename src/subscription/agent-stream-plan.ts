import {
  getOperationAST,
  isAbstractType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  Kind,
  OperationTypeNode,
  defaultFieldResolver,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type GraphQLUnionType,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * A compiled `agentStream` selection: turns one event into the JSON text of the `next` payload
 * (`{"data":{"agentStream":{...}}}`) exactly as graphql-js would execute and `JSON.stringify` it,
 * without building an execution context per event. Anything the compiler does not understand
 * (another root field, field arguments, directives other than literal or variable @include/@skip,
 * abstract types below the root) yields no plan, and the operation runs through the normal
 * executor. At run time, any value the plan cannot complete as graphql-js would without an error
 * (null in a non-null field, a scalar that refuses to serialize, a promise) makes `render` return
 * undefined, and that event goes through the executor instead.
 */
export interface AgentStreamPlan {
  /** The payload JSON of one event, or undefined when the executor must handle it. */
  render(event: object, context: unknown): string | undefined;
}

/** The one root field the fast path serves. */
export const FAST_PATH_FIELD = 'agentStream';

type Variables = Readonly<Record<string, unknown>> | null | undefined;

/** A field of an object's selection, in response order. */
interface CompiledField {
  responseName: string;
  /** `__typename`: the object type's name. */
  typename?: string;
  field?: GraphQLField<unknown, unknown>;
  info?: GraphQLResolveInfo;
  complete?: Completer;
}

type Completer = (value: unknown, context: unknown) => unknown;

/** Signals that the executor must handle this event. */
const BAIL = Symbol('bail');

class Unsupported extends Error {}

/**
 * Compiles the plan of one operation, or returns undefined when the operation is not a plain
 * `agentStream` subscription the plan can serve. `variables` are read only by @include/@skip;
 * the caller keys its cache on the values of the variables those directives use
 * (`directiveVariables`).
 */
export function compileAgentStreamPlan(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Variables,
): AgentStreamPlan | undefined {
  try {
    return compile(schema, document, operationName, variables);
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}

/** Names of the variables that @include/@skip read anywhere in the document. */
export function directiveVariables(document: DocumentNode): string[] {
  const names = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const record = node as Record<string, unknown>;
    if (record.kind === Kind.DIRECTIVE) {
      for (const argument of (record.arguments as { value: { kind: Kind; name?: { value: string } } }[]) ?? []) {
        if (argument.value.kind === Kind.VARIABLE && argument.value.name) names.add(argument.value.name.value);
      }
      return;
    }
    for (const key of Object.keys(record)) if (key !== 'loc') visit(record[key]);
  };
  visit(document.definitions);
  return [...names];
}

function compile(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Variables,
): AgentStreamPlan | undefined {
  const operation = getOperationAST(document, operationName);
  const subscriptionType = schema.getSubscriptionType();
  if (!operation || operation.operation !== OperationTypeNode.SUBSCRIPTION || !subscriptionType) return undefined;
  const fragments: Record<string, FragmentDefinitionNode> = Object.create(null);
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  const context: CompileContext = { schema, fragments, variables: variables ?? {}, operation, document };
  const rootFields = collectFields(context, subscriptionType, operation.selectionSet);
  if (rootFields.size !== 1) return undefined;
  const [responseName, fieldNodes] = [...rootFields][0]!;
  if (fieldNodes.some((node) => node.name.value !== FAST_PATH_FIELD)) return undefined;
  const rootField = subscriptionType.getFields()[FAST_PATH_FIELD];
  if (!rootField || rootField.resolve === undefined) return undefined;
  const union = getNullableType(rootField.type);
  if (!isUnionType(union)) return undefined;
  const rootNonNull = isNonNullType(rootField.type);
  const members = compileUnionMembers(context, union, fieldNodes);
  const rootInfo = makeInfo(context, rootField, fieldNodes, subscriptionType, [responseName]);
  const unionInfo = rootInfo;
  const rootResolve = rootField.resolve;
  const resolveType = union.resolveType;
  const prefix = `{"data":{${JSON.stringify(responseName)}:`;

  const cache = new WeakMap<object, string>();
  return {
    render(event, contextValue) {
      const cached = cache.get(event);
      if (cached !== undefined) return cached;
      let value: unknown;
      try {
        value = rootResolve(event, {}, contextValue, rootInfo);
      } catch {
        return undefined;
      }
      if (isPromiseLike(value) || value instanceof Error) return undefined;
      let completed: unknown;
      if (value === null || value === undefined) {
        if (rootNonNull) return undefined;
        completed = null;
      } else {
        if (!resolveType) return undefined;
        let typeName: unknown;
        try {
          typeName = resolveType(value, contextValue, unionInfo, union);
        } catch {
          return undefined;
        }
        if (typeof typeName !== 'string') return undefined;
        const member = members.get(typeName);
        if (!member) return undefined;
        completed = member(value, contextValue);
        if (completed === BAIL) return undefined;
      }
      const json = `${prefix}${JSON.stringify(completed)}}}`;
      cache.set(event, json);
      return json;
    },
  };
}

interface CompileContext {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Readonly<Record<string, unknown>>;
  operation: OperationDefinitionNode;
  document: DocumentNode;
}

function compileUnionMembers(
  context: CompileContext,
  union: GraphQLUnionType,
  fieldNodes: readonly FieldNode[],
): Map<string, Completer> {
  const members = new Map<string, Completer>();
  for (const type of context.schema.getPossibleTypes(union)) {
    members.set(type.name, compileObject(context, type, fieldNodes, [FAST_PATH_FIELD]));
  }
  return members;
}

/** graphql-js `completeObjectValue` + `executeFields` for one object type and its merged selection. */
function compileObject(
  context: CompileContext,
  type: GraphQLObjectType,
  fieldNodes: readonly FieldNode[],
  path: string[],
): Completer {
  const fields: CompiledField[] = [];
  const merged = new Map<string, FieldNode[]>();
  for (const node of fieldNodes) {
    if (!node.selectionSet) throw new Unsupported();
    for (const [name, nodes] of collectFields(context, type, node.selectionSet)) {
      const existing = merged.get(name);
      if (existing) existing.push(...nodes);
      else merged.set(name, [...nodes]);
    }
  }
  for (const [responseName, nodes] of merged) {
    const fieldName = nodes[0]!.name.value;
    if (nodes.some((node) => (node.arguments?.length ?? 0) > 0)) throw new Unsupported();
    if (fieldName === '__typename') {
      fields.push({ responseName, typename: type.name });
      continue;
    }
    if (fieldName.startsWith('__')) throw new Unsupported();
    const field = type.getFields()[fieldName];
    if (!field || field.args.length > 0) throw new Unsupported();
    const info = makeInfo(context, field, nodes, type, [...path, responseName]);
    fields.push({
      responseName,
      field,
      info,
      complete: compileValue(context, field.type, nodes, [...path, responseName]),
    });
  }
  const isTypeOf = type.isTypeOf;
  return (source, contextValue) => {
    if (isTypeOf) {
      let matches: unknown;
      try {
        matches = isTypeOf(source, contextValue, fields[0]?.info ?? (undefined as never));
      } catch {
        return BAIL;
      }
      if (matches !== true) return BAIL;
    }
    const result: Record<string, unknown> = {};
    for (const compiled of fields) {
      if (compiled.typename !== undefined) {
        result[compiled.responseName] = compiled.typename;
        continue;
      }
      const field = compiled.field!;
      let value: unknown;
      try {
        value = (field.resolve ?? defaultFieldResolver)(source, {}, contextValue, compiled.info!);
      } catch {
        return BAIL;
      }
      if (isPromiseLike(value) || value instanceof Error) return BAIL;
      const completed = compiled.complete!(value, contextValue);
      if (completed === BAIL) return BAIL;
      result[compiled.responseName] = completed;
    }
    return result;
  };
}

/** graphql-js `completeValue` for a field's type. */
function compileValue(
  context: CompileContext,
  type: GraphQLOutputType,
  nodes: readonly FieldNode[],
  path: string[],
): Completer {
  if (isNonNullType(type)) {
    const inner = compileValue(context, type.ofType, nodes, path);
    return (value, contextValue) => {
      if (value === null || value === undefined) return BAIL;
      return inner(value, contextValue);
    };
  }
  if (isListType(type)) {
    const item = compileValue(context, type.ofType, nodes, path);
    return (value, contextValue) => {
      if (value === null || value === undefined) return null;
      if (!Array.isArray(value)) return BAIL;
      const list: unknown[] = [];
      for (const element of value) {
        if (isPromiseLike(element) || element instanceof Error) return BAIL;
        const completed = item(element, contextValue);
        if (completed === BAIL) return BAIL;
        list.push(completed);
      }
      return list;
    };
  }
  if (isLeafType(type)) {
    if (nodes.some((node) => node.selectionSet)) throw new Unsupported();
    return (value) => {
      if (value === null || value === undefined) return null;
      let serialized: unknown;
      try {
        serialized = type.serialize(value);
      } catch {
        return BAIL;
      }
      if (serialized === undefined || serialized === null) return BAIL;
      return serialized;
    };
  }
  if (isObjectType(type)) {
    const object = compileObject(context, type, nodes, path);
    return (value, contextValue) => (value === null || value === undefined ? null : object(value, contextValue));
  }
  // Interfaces and unions below the root: left to the executor.
  throw new Unsupported();
}

/** graphql-js `collectFields` with @include/@skip, for one runtime object type. */
function collectFields(
  context: CompileContext,
  type: GraphQLObjectType,
  selectionSet: SelectionSetNode,
): Map<string, FieldNode[]> {
  const fields = new Map<string, FieldNode[]>();
  const visited = new Set<string>();
  const visit = (set: SelectionSetNode): void => {
    for (const selection of set.selections) {
      if (!shouldInclude(context, selection.directives)) continue;
      switch (selection.kind) {
        case Kind.FIELD: {
          const name = selection.alias?.value ?? selection.name.value;
          const list = fields.get(name);
          if (list) list.push(selection);
          else fields.set(name, [selection]);
          break;
        }
        case Kind.INLINE_FRAGMENT:
          if (selection.typeCondition && !conditionMatches(context, selection.typeCondition.name.value, type)) continue;
          visit(selection.selectionSet);
          break;
        case Kind.FRAGMENT_SPREAD: {
          const name = selection.name.value;
          if (visited.has(name)) continue;
          visited.add(name);
          const fragment = context.fragments[name];
          if (!fragment) throw new Unsupported();
          if (!conditionMatches(context, fragment.typeCondition.name.value, type)) continue;
          visit(fragment.selectionSet);
          break;
        }
      }
    }
  };
  visit(selectionSet);
  return fields;
}

function conditionMatches(context: CompileContext, conditionName: string, type: GraphQLObjectType): boolean {
  const condition = context.schema.getType(conditionName);
  if (!condition) throw new Unsupported();
  if (condition === type) return true;
  if (isAbstractType(condition)) return context.schema.isSubType(condition, type);
  return false;
}

function shouldInclude(context: CompileContext, directives: FieldNode['directives']): boolean {
  if (!directives || directives.length === 0) return true;
  for (const directive of directives) {
    const name = directive.name.value;
    if (name !== 'include' && name !== 'skip') throw new Unsupported();
    const argument = directive.arguments?.find((arg) => arg.name.value === 'if');
    if (!argument || directive.arguments!.length !== 1) throw new Unsupported();
    let value: unknown;
    if (argument.value.kind === Kind.BOOLEAN) value = argument.value.value;
    else if (argument.value.kind === Kind.VARIABLE) value = context.variables[argument.value.name.value];
    else throw new Unsupported();
    // A missing or non-boolean variable: let the executor report or coerce it.
    if (typeof value !== 'boolean') throw new Unsupported();
    if (name === 'skip' && value) return false;
    if (name === 'include' && !value) return false;
  }
  return true;
}

function makeInfo(
  context: CompileContext,
  field: GraphQLField<unknown, unknown>,
  fieldNodes: readonly FieldNode[],
  parentType: GraphQLObjectType,
  path: readonly string[],
): GraphQLResolveInfo {
  let pathValue: GraphQLResolveInfo['path'] | undefined;
  for (const key of path) pathValue = { prev: pathValue, key, typename: undefined };
  return {
    fieldName: field.name,
    fieldNodes,
    returnType: field.type,
    parentType,
    path: pathValue!,
    schema: context.schema,
    fragments: context.fragments,
    rootValue: undefined,
    operation: context.operation,
    variableValues: { ...context.variables },
  };
}

function getNullableType(type: GraphQLOutputType): GraphQLOutputType {
  return isNonNullType(type) ? type.ofType : type;
}

function isPromiseLike(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
