import { z } from 'zod';
import { integer } from './integer.js';

/**
 * The `auth` and `limits` sections (docs/security.md, docs/configuration.md). Kept apart from
 * schema.ts so the security settings read as one unit.
 */

/** Every scope a principal can hold. `admin` implies all the others. */
export const SCOPES = ['agents:run', 'tools:call', 'workflows:read', 'admin'] as const;

const SHA256_HEX = /^[0-9a-fA-F]{64}$/;
const TENANT = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

export const ApiKeyConfigSchema = z.strictObject({
  /** Names the key in logs; never the key itself. */
  id: z.string().min(1).describe('Names the key in logs (apiKey:<id>); unique, never the key itself.'),
  /** Hex SHA-256 of the key (`printf %s "$KEY" | sha256sum`); the key itself is never stored. */
  sha256: z
    .string()
    .regex(SHA256_HEX, { error: 'must be the 64 hex digits of a SHA-256 digest' })
    .describe('Hex SHA-256 of the key (printf %s "$KEY" | sha256sum); the key itself is never stored.'),
  tenant: z
    .string()
    .regex(TENANT, { error: 'must be 1-128 letters, digits, "_", ".", ":" or "-"' })
    .describe("The tenant the key's caller acts in."),
  scopes: z.array(z.enum(SCOPES)).default([]).describe('Scopes of the key; admin implies all the others.'),
});

export const JwtConfigSchema = z
  .strictObject({
    /** HS256 shared secret (at least 32 bytes). */
    secret: z
      .string()
      .min(32, { error: 'must be at least 32 characters long (HS256 needs a 256-bit key)' })
      .optional()
      .describe('HS256 shared secret (at least 32 bytes); use ${JWT_SECRET}.'),
    /** RS256 public key, PEM (SPKI, `-----BEGIN PUBLIC KEY-----`). */
    publicKey: z.string().min(1).optional().describe('RS256 public key, PEM (SPKI, -----BEGIN PUBLIC KEY-----).'),
    /** JWKS endpoint of the issuer; keys are fetched and cached, RS256 and ES256 tokens accepted. */
    jwksUrl: z
      .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
      .optional()
      .describe('JWKS endpoint of the issuer; keys are fetched and cached.'),
    issuer: z.string().min(1).optional().describe('Required iss claim; absent: not checked.'),
    audience: z.string().min(1).optional().describe('Required aud claim; absent: not checked.'),
    /** Claim holding the tenant. */
    tenantClaim: z
      .string()
      .min(1)
      .default('tenant')
      .describe('Claim holding the tenant; a token without it is refused.'),
    /** Claim holding the scopes: a space-separated string or an array of strings. */
    scopesClaim: z
      .string()
      .min(1)
      .default('scope')
      .describe('Claim holding the scopes: a space-separated string or an array of strings.'),
    /** Allowed clock difference for exp / nbf / iat, in seconds. */
    clockToleranceSec: integer(0, 300).default(5).describe('Allowed clock difference for exp / nbf / iat, in seconds.'),
  })
  .superRefine((jwt, ctx) => {
    const sources = [jwt.secret, jwt.publicKey, jwt.jwksUrl].filter((value) => value !== undefined).length;
    if (sources !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: 'needs exactly one of secret, publicKey, jwksUrl',
        input: jwt,
      });
    }
  });

export const AuthConfigSchema = z
  .strictObject({
    /**
     * Refuse callers without valid credentials. Default: true when `apiKeys` or `jwt` is set,
     * false otherwise (local development: the server then serves everyone as tenant `default`).
     */
    required: z
      .boolean()
      .optional()
      .describe('Refuse callers without valid credentials; default: true when apiKeys or jwt is set, else false.'),
    apiKeys: z.array(ApiKeyConfigSchema).default([]).describe('API keys; removing an entry revokes the key.'),
    jwt: JwtConfigSchema.optional().describe('JWT verification: exactly one of secret, publicKey, jwksUrl.'),
    /**
     * Serve without authentication on an address other than loopback. Off by default: such a
     * configuration refuses to start.
     */
    allowUnauthenticatedRemote: z
      .boolean()
      .default(false)
      .describe(
        'Allow required: false on a non-loopback server.host; without it such a configuration refuses to start.',
      ),
    /** Browser origins allowed to open a WebSocket; absent: any (CSRF prevention still applies to HTTP). */
    allowedOrigins: z
      .array(z.string().min(1))
      .optional()
      .describe('Browser origins allowed to call the gateway (CORS, graphql-ws Origin); absent: any.'),
  })
  .superRefine((auth, ctx) => {
    if (auth.required === true && auth.apiKeys.length === 0 && auth.jwt === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['required'],
        message: 'is true but neither apiKeys nor jwt is configured: no caller could sign in',
        input: auth.required,
      });
    }
    const seen = new Set<string>();
    auth.apiKeys.forEach((key, index) => {
      if (seen.has(key.id))
        ctx.addIssue({
          code: 'custom',
          path: ['apiKeys', index, 'id'],
          message: `duplicate key id "${key.id}"`,
          input: key.id,
        });
      seen.add(key.id);
    });
  })
  // `required` is always resolved, so no consumer has to repeat the default rule.
  .transform((auth) => ({ ...auth, required: auth.required ?? (auth.apiKeys.length > 0 || auth.jwt !== undefined) }));

export const LimitsConfigSchema = z.strictObject({
  /** Deepest field nesting of an operation (introspection fields excepted). */
  maxDepth: integer(1).default(12).describe('Deepest field nesting of an operation (introspection fields excepted).'),
  /** Estimated cost of an operation (docs/security.md, "How cost is estimated"), introspection fields excepted. */
  maxCost: integer(1)
    .default(5000)
    .describe(
      'Estimated cost of an operation: one per object it can return, lists multiplied by their first/last (literal, variable or default); an abstract selection costs its costliest type.',
    ),
  /** Estimated cost of the introspection fields (`__schema`, `__type`) of an operation, by the same model. */
  maxIntrospectionCost: integer(1)
    .default(500_000)
    .describe(
      'Estimated cost of the introspection fields of an operation, by the same model (the standard introspection query costs about 130,000).',
    ),
  maxAliases: integer(0).default(15).describe('Aliases per operation, fragments expanded.'),
  maxDirectives: integer(0).default(50).describe('Directives per document.'),
  /** Lexical tokens of an operation document. */
  maxTokens: integer(1).default(2000).describe('Lexical tokens of an operation document.'),
  /** Characters of an operation document. */
  maxOperationBytes: integer(1).default(32_768).describe('Characters of an operation document.'),
  /** HTTP request body. */
  maxBodyBytes: integer(1).default(1_048_576).describe('HTTP request body; also the largest graphql-ws message.'),
  /** Characters of `runAgent.input.prompt`. */
  maxPromptBytes: integer(1).default(100_000).describe('Characters of runAgent.input.prompt.'),
  /** Entries of `runAgent.input.messages`. */
  maxMessages: integer(1).default(200).describe('Entries of runAgent.input.messages.'),
  /** Serialized JSON size of `runAgent.input` as a whole (prompt, messages, metadata). */
  maxInputBytes: integer(1).default(524_288).describe('Serialized JSON size of runAgent.input as a whole.'),
  /** Nesting of JSON values in `runAgent.input` and `callTool.input.arguments`. */
  maxInputDepth: integer(1)
    .default(64)
    .describe('Nesting of JSON values in runAgent.input and callTool.input.arguments.'),
  /** Serialized JSON size of `callTool.input.arguments`. */
  maxToolArgumentsBytes: integer(1).default(262_144).describe('Serialized JSON size of callTool.input.arguments.'),
  /** Agent runs each tenant may start per minute (token bucket). */
  runsPerMinute: integer(1)
    .default(600)
    .describe(
      'Agent runs each tenant may start per minute (token bucket; with Redis, a one-minute window shared by every instance).',
    ),
  /** Tool calls each tenant may make per minute (token bucket). */
  toolCallsPerMinute: integer(1)
    .default(600)
    .describe(
      'Tool calls each tenant may make per minute (token bucket; with Redis, a one-minute window shared by every instance).',
    ),
  /** Runs of one tenant QUEUED or RUNNING at once. */
  concurrentRuns: integer(1).default(50).describe('Runs of one tenant QUEUED or RUNNING at once.'),
  /** Active subscriptions on one graphql-ws connection. */
  subscriptionsPerConnection: integer(1).default(100).describe('Active subscriptions on one graphql-ws connection.'),
  /** Live subscriptions of one tenant at once, over SSE and graphql-ws together. */
  subscriptionsPerTenant: integer(1)
    .default(1000)
    .describe('Live subscriptions of one tenant at once, over SSE and graphql-ws together.'),
  /** graphql-ws: a socket that sends no connection_init within this time is closed (4408). */
  connectionInitWaitMs: integer(1)
    .default(3_000)
    .describe('graphql-ws: a socket that sends no connection_init within this time is closed (4408).'),
});

/** True for 127.0.0.0/8, ::1 and `localhost`: addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare === '::1' || bare === '0:0:0:0:0:0:0:1') return true;
  if (bare.startsWith('::ffff:')) return isLoopbackHost(bare.slice(7));
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare);
}

/**
 * The rule that keeps an unauthenticated gateway off the network: auth off is allowed on
 * loopback, elsewhere only with `auth.allowUnauthenticatedRemote: true`. Returns the problem, if any.
 */
export function exposureProblem(
  host: string,
  auth: { required: boolean; allowUnauthenticatedRemote: boolean },
): string | undefined {
  if (auth.required || auth.allowUnauthenticatedRemote || isLoopbackHost(host)) return undefined;
  return `authentication is off but server.host is ${JSON.stringify(host)}, which is not a loopback address: configure auth.apiKeys or auth.jwt, or set auth.allowUnauthenticatedRemote: true to serve everyone on purpose`;
}
