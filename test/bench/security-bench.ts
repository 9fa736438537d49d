/**
 * What authentication and the limits cost per operation: `npx tsx test/bench/security-bench.ts`.
 * Everything runs in this process and on loopback; every loop is bounded.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, specifiedRules, validate, type OperationDefinitionNode } from 'graphql';
import { SignJWT } from 'jose';
import { parseConfig } from '../../src/config/index.js';
import { silentLogger } from '../../src/logger.js';
import { schema } from '../../src/schema/index.js';
import { apiKeyDigest } from '../../src/server/auth/api-keys.js';
import { Authenticator } from '../../src/server/auth/authenticator.js';
import { JwtVerifier } from '../../src/server/auth/jwt.js';
import { createSynapseServer } from '../../src/server/index.js';
import { createOperationLimitsRule } from '../../src/server/limits/operation-limits-rule.js';
import { operationCost } from '../../src/server/limits/operation-cost.js';

/** Best of three timed rounds after a warm-up: the least disturbed measure on a shared machine. */
async function perCall(label: string, iterations: number, run: () => unknown): Promise<number> {
  for (let index = 0; index < Math.min(1_000, iterations); index++) await run();
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 3; round++) {
    const started = process.hrtime.bigint();
    for (let index = 0; index < iterations; index++) await run();
    best = Math.min(best, Number(process.hrtime.bigint() - started) / 1_000 / iterations);
  }
  console.log(`${label.padEnd(72)} ${best.toFixed(1).padStart(8)} µs`);
  return best;
}

const SECRET = 'an-hs256-secret-of-at-least-32-bytes!';
const keys = Array.from({ length: 100 }, (_, index) => ({
  id: `k${index}`,
  sha256: apiKeyDigest(`key-${index}`),
  tenant: 't',
  scopes: ['agents:run' as const],
}));
const config = parseConfig(
  { auth: { apiKeys: keys, jwt: { secret: SECRET, issuer: 'iss', audience: 'aud' } } },
  { env: {} },
);
const authenticator = await Authenticator.create(config.auth);
const token = await new SignJWT({ tenant: 't', scope: 'agents:run' })
  .setProtectedHeader({ alg: 'HS256' })
  .setIssuer('iss')
  .setAudience('aud')
  .setExpirationTime('1h')
  .sign(new TextEncoder().encode(SECRET));

await perCall('API key (SHA-256 + constant-time compare against 100 digests)', 20_000, () =>
  authenticator.authenticate('Bearer key-99'),
);
const verifier = new JwtVerifier(config.auth.jwt!);
await perCall('HS256 JWT, verified (jose jwtVerify + claims)', 5_000, () => verifier.verify(token));
await perCall('HS256 JWT, seen in the last minute (verified-token cache)', 20_000, () =>
  authenticator.authenticate(`Bearer ${token}`),
);

const HISTORY = parse(`query History($id: ID!) {
  workflow(id: $id) { status text output usage { totalTokens } durationMs toolCalls { toolName arguments result }
    events(afterSequence: 0, first: 5) { __typename ... on StreamEvent { sequence } } }
  workflows(first: 5, filter: { agentId: "demo", status: [SUCCEEDED] }) { edges { cursor node { id status createdAt } } pageInfo { hasNextPage endCursor } }
}`);
const rule = createOperationLimitsRule({ maxDepth: 12, maxAliases: 15, maxDirectives: 50 });
// Alone, so graphql-js's own rules (and their noise) are not in the measure. yoga caches
// validation by document text, so this is paid once per distinct document, not per request.
const empty = await perCall('validate with no rule (the walk itself)', 20_000, () => validate(schema, HISTORY, []));
const alone = await perCall("validate the README's history query with the operation-limits rule only", 20_000, () =>
  validate(schema, HISTORY, [rule]),
);
console.log(`${'  => the operation-limits rule'.padEnd(72)} ${(alone - empty).toFixed(1).padStart(8)} µs`);
const historyOperation = HISTORY.definitions[0] as OperationDefinitionNode;
await perCall('the cost estimate of the same query (once per request, with its variables)', 20_000, () =>
  operationCost(schema, HISTORY, historyOperation, { id: 'x' }),
);
await perCall('  for scale: all graphql-js rules on the same query', 2_000, () =>
  validate(schema, HISTORY, specifiedRules),
);

// End to end over loopback HTTP: the same query with auth off and with an API key.
const dataDir = mkdtempSync(path.join(tmpdir(), 'synapse-bench-'));
async function gatewayLatency(label: string, raw: Record<string, unknown>, authorization?: string): Promise<number> {
  const server = await createSynapseServer({
    config: parseConfig({ server: { port: 0 }, ...raw }, { env: { SYNAPSE_DATA_DIR: dataDir } }),
    logger: silentLogger,
    development: false,
  });
  await server.listen();
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (authorization) headers.authorization = authorization;
  const body = JSON.stringify({ query: '{ agents { id } }' });
  try {
    return await perCall(label, 1_000, async () => {
      const response = await fetch(server.url, { method: 'POST', headers, body });
      await response.arrayBuffer();
    });
  } finally {
    await server.close();
  }
}
const open = await gatewayLatency('HTTP round trip `{ agents { id } }`, auth off', {});
const keyed = await gatewayLatency(
  'HTTP round trip `{ agents { id } }`, API key of 100',
  { auth: { apiKeys: keys } },
  'Bearer key-99',
);
console.log(`${'  => authentication + scope check end to end'.padEnd(72)} ${(keyed - open).toFixed(1).padStart(8)} µs`);
rmSync(dataDir, { recursive: true, force: true });
