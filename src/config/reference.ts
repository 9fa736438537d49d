import { z } from 'zod';
import { ConfigFileSchema, PLANNED_SECTIONS } from './schema.js';

/**
 * The configuration reference (docs/config-reference.md), printed from the zod schema itself so it
 * cannot drift: `npm run docs:config` writes it, and test/config/reference.test.ts fails when the
 * committed file differs. Types, ranges, defaults and required-ness come from `z.toJSONSchema` of
 * the input side of {@link ConfigFileSchema}; descriptions from the schema's `.describe()` texts.
 */

/** The environment variables Synapse reads (docs/configuration.md, section "Environment"). */
export const CONFIG_ENVIRONMENT_VARIABLES: readonly { name: string; effect: string }[] = [
  {
    name: 'SYNAPSE_CONFIG',
    effect: 'Path of the config file (after `--config`, before discovery of `./synapse.config.{json,yaml,yml}`).',
  },
  { name: 'PORT', effect: 'Wins over `server.port`; an integer 0–65535 (digits only). `--port` wins over `PORT`.' },
  { name: 'DATABASE_URL', effect: 'Wins over `database.url` (same forms).' },
  {
    name: 'REDIS_URL',
    effect:
      "Wins over `redis.url`; alone (no `redis` section) it turns Redis on with the section's defaults. Needs a PostgreSQL store ([scaling.md](scaling.md)).",
  },
  {
    name: 'SYNAPSE_DATA_DIR',
    effect:
      'Directory for local state, default `<working directory>/.synapse`; holds `synapse.db` when no database url is set.',
  },
  {
    name: 'NODE_ENV',
    effect:
      '`production` turns GraphiQL off and stops adding `extensions.originalError` to masked errors; anything else is development.',
  },
  {
    name: 'LOG_LEVEL',
    effect: "`debug`, `info` (default), `warn`, `error` or `silent`: the level of `serve`'s logs on stderr.",
  },
  {
    name: 'OTEL_*',
    effect:
      'OpenTelemetry tracing (`OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_TRACES_EXPORTER`, `OTEL_SERVICE_NAME`, `OTEL_SDK_DISABLED`, …), off unless asked for ([observability.md](observability.md)).',
  },
  {
    name: 'SYNAPSE_URL',
    effect: 'The gateway `synapse run` talks to when `--url` is not given (default `http://localhost:4000/graphql`).',
  },
];

/** The part of JSON Schema that `z.toJSONSchema` produces for the config. */
interface JsonSchema {
  type?: string;
  description?: string;
  default?: unknown;
  const?: unknown;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  pattern?: string;
  format?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
}

/** One key of the config file, as the reference lists it. */
export interface ConfigKey {
  /** Top-level section the key belongs to, e.g. `agents`. */
  section: string;
  /** For keys inside one variant of a union (the tool sources): `type: "http"`. */
  variant?: string;
  /** Full key path, e.g. `agents[].timeouts.idleMs`. */
  path: string;
  type: string;
  /** Allowed values, range, length, pattern. */
  constraints: string;
  /** Required within its parent object (input side: keys with defaults are optional). */
  required: boolean;
  /** JSON of the default, when the schema has one. */
  default?: string;
  description: string;
}

/** The config schema as JSON Schema, input side (what a file may say, before defaults). */
export function configJsonSchema(): JsonSchema {
  return z.toJSONSchema(ConfigFileSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
}

/** Every key of the config file, depth first, in schema order. */
export function listConfigKeys(): ConfigKey[] {
  const root = configJsonSchema();
  const keys: ConfigKey[] = [];
  for (const [name, schema] of Object.entries(root.properties ?? {})) {
    walk(schema, { section: name, path: name, required: root.required?.includes(name) ?? false }, keys);
  }
  return keys;
}

interface Place {
  section: string;
  variant?: string;
  path: string;
  required: boolean;
}

function walk(schema: JsonSchema, place: Place, out: ConfigKey[]): void {
  out.push({
    ...place,
    type: typeName(schema),
    constraints: constraints(schema),
    ...(schema.default === undefined ? {} : { default: JSON.stringify(schema.default) }),
    description: schema.description ?? '',
  });
  const base = { section: place.section, ...(place.variant === undefined ? {} : { variant: place.variant }) };
  walkProperties(schema, place.path, base, out);
  const items = schema.items;
  if (items === undefined) return;
  const variants = items.oneOf ?? items.anyOf;
  if (variants !== undefined) {
    for (const variant of variants) {
      const tag = variant.properties?.type?.const;
      walkProperties(variant, `${place.path}[]`, { ...base, variant: `type: ${JSON.stringify(tag)}` }, out);
    }
  } else {
    walkProperties(items, `${place.path}[]`, base, out);
  }
}

function walkProperties(
  schema: JsonSchema,
  prefix: string,
  base: Omit<Place, 'path' | 'required'>,
  out: ConfigKey[],
): void {
  for (const [name, child] of Object.entries(schema.properties ?? {})) {
    walk(child, { ...base, path: `${prefix}.${name}`, required: schema.required?.includes(name) ?? false }, out);
  }
}

function typeName(schema: JsonSchema): string {
  if (schema.const !== undefined) return `literal ${JSON.stringify(schema.const)}`;
  if (schema.enum !== undefined) return 'enum';
  const variants = schema.oneOf ?? schema.anyOf;
  if (variants !== undefined) return variants.map(typeName).join(' or ');
  switch (schema.type) {
    case 'array': {
      const items = schema.items;
      if (items === undefined) return 'list';
      if (items.oneOf !== undefined || items.anyOf !== undefined) return 'list of objects (by `type`)';
      const item = typeName(items);
      return `list of ${item === 'object' || item === 'string' ? `${item}s` : item}`;
    }
    case 'object': {
      if (schema.properties !== undefined) return 'object';
      const values = schema.additionalProperties;
      if (typeof values === 'object' && values.type !== undefined) return `map of string to ${typeName(values)}`;
      return 'object (JSON)';
    }
    case 'string':
      return schema.format === 'uri' ? 'string (URL)' : 'string';
    case undefined:
      return 'any';
    default:
      return schema.type;
  }
}

function constraints(schema: JsonSchema): string {
  const parts: string[] = [];
  if (schema.enum !== undefined)
    parts.push(`one of ${schema.enum.map((value) => code(JSON.stringify(value))).join(', ')}`);
  if (schema.type === 'array' && schema.items?.enum !== undefined) {
    parts.push(`each one of ${schema.items.enum.map((value) => code(JSON.stringify(value))).join(', ')}`);
  }
  if (schema.minimum !== undefined && schema.maximum !== undefined) parts.push(`${schema.minimum}–${schema.maximum}`);
  else if (schema.minimum !== undefined) parts.push(`≥ ${schema.minimum}`);
  else if (schema.maximum !== undefined) parts.push(`≤ ${schema.maximum}`);
  if (schema.minLength !== undefined) parts.push(`length ≥ ${schema.minLength}`);
  if (schema.maxLength !== undefined) parts.push(`length ≤ ${schema.maxLength}`);
  if (schema.minItems !== undefined) parts.push(`at least ${schema.minItems} item${schema.minItems === 1 ? '' : 's'}`);
  if (schema.pattern !== undefined) parts.push(`matches ${code(schema.pattern)}`);
  if (schema.format === 'uri') parts.push('http:// or https://');
  return parts.join('; ');
}

function code(text: string): string {
  return `\`${text}\``;
}

/** Escapes what would break a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** Plain text (a schema description) with `<dataDir>` shown as text rather than read as an HTML tag. */
function prose(text: string): string {
  return text.replace(/</g, '&lt;');
}

function table(keys: readonly ConfigKey[]): string[] {
  const lines = ['| key | type | allowed values | default | required | description |', '|---|---|---|---|---|---|'];
  for (const key of keys) {
    lines.push(
      `| ${[
        code(key.path),
        key.type,
        key.constraints,
        key.default === undefined ? '' : code(key.default),
        key.required ? 'yes' : 'no',
        prose(key.description),
      ]
        .map(cell)
        .join(' | ')} |`,
    );
  }
  return lines;
}

/** The Markdown of docs/config-reference.md. */
export function printConfigReference(): string {
  const keys = listConfigKeys();
  const sections = keys.filter((key) => key.path === key.section);
  const lines: string[] = [
    '# Configuration reference',
    '',
    '<!-- Generated from the zod schema in src/config/ by `npm run docs:config`. Do not edit by hand. -->',
    '',
    'Every key of `synapse.config.json` / `.yaml`, generated from the zod schema that validates it',
    '(`src/config/schema.ts`), so it always matches the code. How the file is found, how',
    '`${VAR}` substitution works, and examples are in [configuration.md](configuration.md).',
    '',
    'Every object is strict: an unknown key is an error. "required" is relative to the enclosing',
    'object; a key with a default is never required. Rules that relate several keys (for example',
    '`url` required unless the dialect is `demo`) are in the descriptions and in',
    '[configuration.md](configuration.md).',
    '',
    '## Top level',
    '',
    ...table(sections),
    '',
  ];
  if (PLANNED_SECTIONS.length > 0) {
    lines.push(
      `Sections of the design not implemented by this version, refused when present: ${PLANNED_SECTIONS.map(code).join(', ')}.`,
      '',
    );
  }
  for (const section of sections) {
    const inSection = keys.filter((key) => key.section === section.section && key !== section);
    lines.push(`## \`${section.section}\``, '', prose(section.description), '');
    const plain = inSection.filter((key) => key.variant === undefined);
    if (plain.length > 0) lines.push(...table(plain), '');
    const variants = [...new Set(inSection.flatMap((key) => (key.variant === undefined ? [] : [key.variant])))];
    for (const variant of variants) {
      const inVariant = inSection.filter((key) => key.variant === variant);
      const list = inVariant[0]!.path.replace(/\.[^.]+$/, '');
      lines.push(`### \`${list}\` with \`${variant}\``, '', ...table(inVariant), '');
    }
  }
  lines.push(
    '## Environment variables',
    '',
    'An empty `PORT`, `DATABASE_URL`, `REDIS_URL`, `SYNAPSE_DATA_DIR` or `SYNAPSE_CONFIG` counts as unset.',
    '',
    '| variable | effect |',
    '|---|---|',
    ...CONFIG_ENVIRONMENT_VARIABLES.map(({ name, effect }) => `| ${code(name)} | ${cell(effect)} |`),
    '',
  );
  return lines.join('\n');
}
