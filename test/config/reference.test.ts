import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_ENVIRONMENT_VARIABLES, listConfigKeys, printConfigReference } from '../../src/config/reference.js';
import { LimitsConfigSchema } from '../../src/config/auth-schema.js';
import { AgentConfigSchema, ConfigFileSchema, TOOL_SOURCE_TYPES } from '../../src/config/schema.js';

describe('docs/config-reference.md', () => {
  const committed = readFileSync(new URL('../../docs/config-reference.md', import.meta.url), 'utf8');

  it('is the reference printed from the zod schema (run `npm run docs:config` after changing it)', () => {
    expect(committed).toBe(printConfigReference());
  });

  it('has a section for every top-level key of the config file', () => {
    const sections = Object.keys(ConfigFileSchema.shape);
    expect(sections).toEqual(expect.arrayContaining(['server', 'database', 'agents', 'retention', 'auth', 'limits']));
    for (const section of sections) {
      expect(committed).toContain(`## \`${section}\``);
      expect(committed).toContain(`| \`${section}\` |`);
    }
  });

  it('lists every agent key, every limit and every tool source type', () => {
    for (const key of Object.keys(AgentConfigSchema.in.shape)) expect(committed).toContain(`| \`agents[].${key}\` |`);
    for (const key of Object.keys(LimitsConfigSchema.shape)) expect(committed).toContain(`| \`limits.${key}\` |`);
    for (const type of TOOL_SOURCE_TYPES)
      expect(committed).toContain(`### \`agents[].tools[]\` with \`type: "${type}"\``);
    for (const path of ['server.port', 'agents[].timeouts.idleMs', 'auth.apiKeys[].scopes', 'limits.maxDepth']) {
      expect(committed).toContain(`| \`${path}\` |`);
    }
  });

  it('shows ranges and defaults taken from the schema', () => {
    const port = listConfigKeys().find((key) => key.path === 'server.port');
    expect(port).toMatchObject({ type: 'integer', constraints: '0–65535', default: '4000', required: false });
    const days = listConfigKeys().find((key) => key.path === 'retention.days');
    expect(days).toMatchObject({ type: 'integer', constraints: '≥ 1', required: true });
  });

  it('describes every key', () => {
    expect(
      listConfigKeys()
        .filter((key) => key.description === '')
        .map((key) => key.path),
    ).toEqual([]);
  });

  it('lists the environment variables', () => {
    for (const name of [
      'PORT',
      'DATABASE_URL',
      'SYNAPSE_DATA_DIR',
      'SYNAPSE_CONFIG',
      'LOG_LEVEL',
      'NODE_ENV',
      'OTEL_*',
      'SYNAPSE_URL',
    ]) {
      expect(CONFIG_ENVIRONMENT_VARIABLES.map((variable) => variable.name)).toContain(name);
      expect(committed).toContain(`| \`${name}\` |`);
    }
  });
});
