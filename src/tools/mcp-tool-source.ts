import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { McpToolSourceConfig } from '../config/index.js';
import type { Logger } from '../logger.js';
import { ToolCallError } from '../errors/index.js';
import {
  DEFAULT_MAX_RESULT_BYTES,
  DEFAULT_TOOL_TIMEOUT_MS,
  type ToolDefinition,
  type ToolInvocation,
  type ToolOutcome,
  type ToolSource,
} from './types.js';

/**
 * The MCP SDK loads with the first MCP source that connects, not at start: a gateway without MCP
 * tools never needs it (docs/performance.md, cold start).
 */
async function importMcpSdk() {
  const [client, stdio, http, types] = await Promise.all([
    import('@modelcontextprotocol/sdk/client/index.js'),
    import('@modelcontextprotocol/sdk/client/stdio.js'),
    import('@modelcontextprotocol/sdk/client/streamableHttp.js'),
    import('@modelcontextprotocol/sdk/types.js'),
  ]);
  return {
    Client: client.Client,
    StdioClientTransport: stdio.StdioClientTransport,
    getDefaultEnvironment: stdio.getDefaultEnvironment,
    StreamableHTTPClientTransport: http.StreamableHTTPClientTransport,
    McpError: types.McpError,
    ErrorCode: types.ErrorCode,
  };
}
type McpSdk = Awaited<ReturnType<typeof importMcpSdk>>;
let mcpSdk: Promise<McpSdk> | undefined;
function loadMcpSdk(): Promise<McpSdk> {
  mcpSdk ??= importMcpSdk();
  return mcpSdk;
}

/** Pages of `tools/list` read per refresh: a server that pages forever cannot hold us. */
const MAX_LIST_PAGES = 100;
const CLIENT_INFO = { name: 'synapse', version: '0.1.0' };
/** The SDK's default read buffer of a stdio server: one message larger than this closes the connection. */
const STDIO_MIN_BUFFER_BYTES = 10 * 1024 * 1024;
/** Back-off of the background reconnection of a server that could not be reached: 0.5 s doubling to 30 s. */
const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 30_000;
/** How long a server whose stream broke off has to answer a ping before its calls fail. */
const PROBE_TIMEOUT_MS = 2_000;

/**
 * An MCP server as a tool source, over streamable HTTP (`url`) or stdio (`command`), through the
 * official SDK client. Its tools are listed when it connects and listed again whenever the server
 * sends `notifications/tools/list_changed`. A server that cannot be reached is tried again in
 * the background with back-off (0.5 s doubling to 30 s). A connection that closes (a stdio server that exited,
 * an HTTP server that went away) is reopened by the next call; meanwhile the last known tools stay
 * listed.
 *
 * Results: `structuredContent` when the server gives it, else the `content` blocks as they are;
 * `isError` is carried over to the ToolResult.
 */
export class McpToolSource implements ToolSource {
  readonly kind = 'mcp';
  readonly timeoutMs: number;
  readonly maxResultBytes: number;
  private client: Client | null = null;
  private connecting: Promise<Client> | null = null;
  private listed: ToolDefinition[] = [];
  private closed = false;
  /** Fails the calls in flight: used when the server is found gone while they wait. */
  private readonly inFlight = new Set<(error: Error) => void>();
  private probing = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private retryDelayMs = RETRY_MIN_MS;

  constructor(
    private readonly config: McpToolSourceConfig,
    readonly label: string,
    private readonly logger: Logger,
    private readonly onToolsChanged: () => void = () => {},
  ) {
    this.timeoutMs = config.timeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS;
    this.maxResultBytes = config.maxResultBytes ?? DEFAULT_MAX_RESULT_BYTES;
  }

  /** True while a connection is open. */
  get connected(): boolean {
    return this.client !== null;
  }

  tools(): readonly ToolDefinition[] {
    return this.listed;
  }

  /** Connects and lists; a server that cannot be reached is logged, not fatal (the next call retries). */
  async start(): Promise<void> {
    try {
      await this.connect();
    } catch (error) {
      this.logger.warn('MCP server unavailable at start-up; its tools are listed once it answers', {
        source: this.label,
        error: describe(error),
      });
    }
  }

  /** Opens the connection (or joins the attempt in progress) and lists the tools. */
  connect(): Promise<Client> {
    if (this.closed) return Promise.reject(new Error('the tool source is closed'));
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= this.open().then(
      (client) => {
        this.connecting = null;
        this.retryDelayMs = RETRY_MIN_MS;
        return client;
      },
      (error: unknown) => {
        this.connecting = null;
        this.scheduleRetry();
        throw error;
      },
    );
    return this.connecting;
  }

  async call(invocation: ToolInvocation): Promise<ToolOutcome> {
    let client: Client;
    try {
      client = await this.connect();
    } catch (error) {
      if (invocation.signal.aborted) throw error;
      throw ToolCallError.upstream(`the MCP server could not be reached (${this.label}): ${describe(error)}`, {
        cause: error,
      });
    }
    let fail: (error: Error) => void = () => {};
    const lost = new Promise<never>((_resolve, reject) => (fail = reject));
    this.inFlight.add(fail);
    try {
      const call = client.callTool(
        { name: invocation.name, arguments: (invocation.arguments ?? {}) as Record<string, unknown> },
        undefined,
        { signal: invocation.signal, timeout: this.timeoutMs },
      );
      call.catch(() => {}); // it may settle after `lost` won the race
      const answer = await Promise.race([call, lost]);
      const result =
        'structuredContent' in answer && answer.structuredContent !== undefined
          ? answer.structuredContent
          : (answer.content ?? answer.toolResult ?? null);
      return { result, isError: answer.isError === true };
    } catch (error) {
      if (invocation.signal.aborted) throw error;
      if (error instanceof ToolCallError) throw error;
      const { McpError, ErrorCode } = await loadMcpSdk();
      if (error instanceof McpError && error.code === (ErrorCode.RequestTimeout as number))
        throw ToolCallError.timeout(this.label, this.timeoutMs);
      if (error instanceof McpError && error.code === (ErrorCode.ConnectionClosed as number)) {
        throw ToolCallError.upstream(`the MCP server closed the connection during the call (${this.label})`, {
          cause: error,
        });
      }
      throw ToolCallError.upstream(`the MCP server failed the call (${this.label}): ${describe(error)}`, {
        cause: error,
      });
    } finally {
      this.inFlight.delete(fail);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const client = this.client ?? (await this.connecting?.catch(() => null)) ?? null;
    this.client = null;
    await client?.close().catch(() => {});
  }

  private async open(): Promise<Client> {
    const sdk = await loadMcpSdk();
    const client = new sdk.Client(CLIENT_INFO, {
      capabilities: {},
      listChanged: {
        tools: {
          autoRefresh: false,
          debounceMs: 20,
          onChanged: () => void this.refresh(client).catch(() => {}),
        },
      },
    });
    const transport = this.transport(sdk);
    client.onclose = () => {
      if (this.client === client) this.client = null;
      if (!this.closed)
        this.logger.warn('MCP server connection closed; the next call reconnects', { source: this.label });
    };
    client.onerror = (error) => {
      this.logger.debug('MCP transport error', { source: this.label, error: describe(error) });
      // Over streamable HTTP, a response stream that breaks off leaves its request pending until
      // the timeout (the SDK only resumes streams of servers with an event store). Ask the server
      // whether it is still there; if not, fail the calls in flight now.
      if (/SSE stream disconnected/.test(describe(error)) && this.inFlight.size > 0) void this.probe(client);
    };
    try {
      await client.connect(transport, { timeout: this.timeoutMs });
      await this.refresh(client);
    } catch (error) {
      await client.close().catch(() => {});
      throw error;
    }
    if (this.closed) {
      await client.close().catch(() => {});
      throw new Error('the tool source is closed');
    }
    this.client = client;
    return client;
  }

  /**
   * Tries again in the background, with back-off, after a failed connection, so a server that
   * comes up after the gateway gets its tools listed without waiting for a call. Ends on close.
   */
  private scheduleRetry(): void {
    if (this.closed || this.retryTimer) return;
    const delay = this.retryDelayMs;
    this.retryDelayMs = Math.min(this.retryDelayMs * 2, RETRY_MAX_MS);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect().catch(() => {}); // a failure schedules the next attempt
    }, delay);
    this.retryTimer.unref();
  }

  /** Pings the server once; when it does not answer, the calls in flight fail and the connection is dropped. */
  private async probe(client: Client): Promise<void> {
    if (this.probing) return;
    this.probing = true;
    try {
      await client.ping({ timeout: Math.min(PROBE_TIMEOUT_MS, this.timeoutMs) });
    } catch {
      const gone = ToolCallError.upstream(`the MCP server went away during the call (${this.label})`);
      for (const fail of this.inFlight) fail(gone);
      if (this.client === client) this.client = null;
      await client.close().catch(() => {});
    } finally {
      this.probing = false;
    }
  }

  private transport(sdk: McpSdk): Transport {
    const { StreamableHTTPClientTransport, StdioClientTransport, getDefaultEnvironment } = sdk;
    if (this.config.url !== undefined) {
      return new StreamableHTTPClientTransport(new URL(this.config.url), {
        requestInit: this.config.headers ? { headers: this.config.headers } : undefined,
      });
    }
    const transport = new StdioClientTransport({
      command: this.config.command!,
      args: this.config.args ?? [],
      env: { ...getDefaultEnvironment(), ...this.config.env },
      cwd: this.config.cwd,
      stderr: 'pipe',
      // One message may hold a result of maxResultBytes, JSON-escaped; the SDK default is 10 MB.
      maxBufferSize: Math.max(STDIO_MIN_BUFFER_BYTES, 2 * this.maxResultBytes + 65_536),
    });
    // The server's stderr is its log: keep it in ours (debug), never on our stderr.
    transport.stderr?.on('data', (chunk: Buffer) =>
      this.logger.debug('MCP server stderr', { source: this.label, text: chunk.toString('utf8').slice(0, 2000) }),
    );
    return transport;
  }

  /** Lists every page of tools; a failed refresh keeps the previous list. */
  private async refresh(client: Client): Promise<void> {
    try {
      const tools: Tool[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < MAX_LIST_PAGES; page++) {
        const answer = await client.listTools(cursor === undefined ? undefined : { cursor }, {
          timeout: this.timeoutMs,
        });
        tools.push(...answer.tools);
        cursor = answer.nextCursor;
        if (!cursor) break;
      }
      this.listed = tools.map((tool) => ({
        name: tool.name,
        description: tool.description ?? null,
        inputSchema: tool.inputSchema,
      }));
      this.onToolsChanged();
    } catch (error) {
      this.logger.warn('listing the tools of an MCP server failed; the previous list stays', {
        source: this.label,
        error: describe(error),
      });
      if (this.client === null) throw error;
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
