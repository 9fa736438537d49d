import { sql, type Expression, type SqlBool } from 'kysely';
import { InvalidFilterError } from '../errors/index.js';

/**
 * `WorkflowFilter.metadata`: containment of a JSON object, with PostgreSQL's `@>` semantics
 * (every key of the filter is present with a contained value; an array in the filter matches an
 * array holding each of its elements). PostgreSQL evaluates `@>` itself; SQLite gets the same
 * meaning compiled to `json_type`/`json_extract`/`json_each` conditions, one per leaf.
 *
 * Supported shapes, so that both dialects agree: nested objects whose leaves are strings,
 * numbers, booleans, null, or arrays of those. Anything else is an `InvalidFilterError`.
 */

type Scalar = string | number | boolean | null;

export type MetadataCondition =
  | { kind: 'equals'; path: string[]; value: Scalar }
  | { kind: 'hasElement'; path: string[]; value: Scalar }
  | { kind: 'isType'; path: string[]; type: 'object' | 'array' };

/** Bounds that keep one filter one cheap statement. */
export const METADATA_FILTER_LIMITS = { conditions: 32, depth: 8, keyLength: 200 } as const;

// eslint-disable-next-line no-control-regex -- a key must not contain control characters: that is the point
const KEY = /^[^"\\\u0000-\u001f]+$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isScalar(value: unknown): value is Scalar {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

/** Validates a metadata filter and flattens it to leaf conditions. @throws InvalidFilterError */
export function metadataConditions(filter: unknown): MetadataCondition[] {
  if (!isObject(filter)) throw new InvalidFilterError('metadata', 'must be a JSON object');
  const conditions: MetadataCondition[] = [];
  const visit = (node: Record<string, unknown>, path: string[]) => {
    if (path.length > METADATA_FILTER_LIMITS.depth) {
      throw new InvalidFilterError(field(path), `nests deeper than ${METADATA_FILTER_LIMITS.depth} levels`);
    }
    const keys = Object.keys(node);
    if (keys.length === 0 && path.length > 0) conditions.push({ kind: 'isType', path, type: 'object' });
    for (const key of keys) {
      const at = [...path, key];
      if (!KEY.test(key) || key.length > METADATA_FILTER_LIMITS.keyLength) {
        throw new InvalidFilterError(
          field(at),
          'keys must be 1–200 characters without quotes, backslashes or control characters',
        );
      }
      const value = node[key];
      if (isObject(value)) visit(value, at);
      else if (Array.isArray(value)) {
        if (value.length === 0) conditions.push({ kind: 'isType', path: at, type: 'array' });
        for (const element of value) {
          if (!isScalar(element))
            throw new InvalidFilterError(field(at), 'arrays may hold only strings, numbers, booleans and null');
          conditions.push({ kind: 'hasElement', path: at, value: element });
        }
      } else if (isScalar(value)) conditions.push({ kind: 'equals', path: at, value });
      else throw new InvalidFilterError(field(at), 'must be a string, number, boolean, null, object or array');
      if (conditions.length > METADATA_FILTER_LIMITS.conditions) {
        throw new InvalidFilterError('metadata', `has more than ${METADATA_FILTER_LIMITS.conditions} conditions`);
      }
    }
  };
  visit(filter, []);
  return conditions;
}

function field(path: string[]): string {
  return ['metadata', ...path].join('.');
}

/** PostgreSQL's `@>` over JSON values, for matching live updates against a filter in memory. */
export function jsonContains(container: unknown, contained: unknown): boolean {
  if (isObject(contained)) {
    return (
      isObject(container) &&
      Object.entries(contained).every(([key, value]) => key in container && jsonContains(container[key], value))
    );
  }
  if (Array.isArray(contained)) {
    return (
      Array.isArray(container) && contained.every((value) => container.some((element) => jsonContains(element, value)))
    );
  }
  return container === contained;
}

/** The SQL condition for `metadata` containing `filter` (already validated). */
export function metadataContainsSql(
  dialect: 'sqlite' | 'postgres',
  filter: Record<string, unknown>,
): Expression<SqlBool> {
  if (dialect === 'postgres') return sql<SqlBool>`(metadata::jsonb @> ${JSON.stringify(filter)}::jsonb)`;
  const conditions = metadataConditions(filter);
  if (conditions.length === 0) return sql<SqlBool>`(metadata is not null)`;
  return sql<SqlBool>`(${sql.join(conditions.map(sqliteCondition), sql` and `)})`;
}

function sqliteCondition(condition: MetadataCondition) {
  const path = `$${condition.path.map((key) => `."${key}"`).join('')}`;
  switch (condition.kind) {
    case 'isType':
      return sql`json_type(metadata, ${path}) = ${condition.type}`;
    case 'equals':
      return sqliteScalarMatch(
        sql`json_type(metadata, ${path})`,
        sql`json_extract(metadata, ${path})`,
        condition.value,
      );
    case 'hasElement':
      return sql`(json_type(metadata, ${path}) = 'array' and exists (select 1 from json_each(metadata, ${path}) as element where ${sqliteScalarMatch(
        sql.ref('element.type'),
        sql.ref('element.value'),
        condition.value,
      )}))`;
  }
}

function sqliteScalarMatch(type: Expression<unknown>, value: Expression<unknown>, expected: Scalar) {
  if (expected === null) return sql`${type} = 'null'`;
  if (typeof expected === 'boolean') return sql`${type} = ${expected ? 'true' : 'false'}`;
  if (typeof expected === 'number') return sql`(${type} in ('integer', 'real') and ${value} = ${expected})`;
  return sql`(${type} = 'text' and ${value} = ${expected})`;
}
