import { GraphQLError, Kind, type ValueNode } from 'graphql';
import { builder } from './builder.js';

/** `Date.prototype.toISOString`'s own output for years 0000–9999: already canonical. */
const CANONICAL_ISO = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

/** The last value found canonical: the events of a batch share their time, so most checks stop here. */
let lastCanonical = '';

builder.scalarType('DateTime', {
  description: 'An ISO-8601 date and time in UTC, such as 2026-11-22T10:15:30.000Z.',
  // Event times are stored as toISOString() text: returned as they are (every event of every
  // stream passes here), anything else goes through Date.
  serialize: (value) => {
    if (value === lastCanonical) return value;
    // Days 01–28 exist in every month; the 29th–31st take the long way (Date decides).
    if (typeof value === 'string' && CANONICAL_ISO.test(value) && Number(value.slice(8, 10)) <= 28) {
      lastCanonical = value;
      return value;
    }
    return (value instanceof Date ? value : new Date(value)).toISOString();
  },
  parseValue: (value) => parseDate(value),
});

builder.scalarType('JSON', {
  description: 'Any JSON value.',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (node, variables) => literalToJson(node, variables),
});

function parseDate(value: unknown): Date {
  const date = typeof value === 'string' ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) {
    throw new GraphQLError(`DateTime must be an ISO-8601 string, got ${JSON.stringify(value)}`);
  }
  return date;
}

function literalToJson(node: ValueNode, variables: Record<string, unknown> | null | undefined): unknown {
  switch (node.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
    case Kind.ENUM:
      return node.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return node.values.map((value) => literalToJson(value, variables));
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((field) => [field.name.value, literalToJson(field.value, variables)]));
    case Kind.VARIABLE:
      return variables?.[node.name.value];
  }
}
