import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { freePort } from './net.js';

/** The shared Redis on loopback (never stopped by a test): `REDIS_URL` when set, else 6379. */
export const REDIS_URL = /^rediss?:\/\//.test(process.env.REDIS_URL ?? '')
  ? process.env.REDIS_URL!
  : 'redis://127.0.0.1:6379';

/** A channel prefix of its own, so test files running in parallel never hear each other. */
export function uniqueRedisPrefix(): string {
  return `synapse-test-${randomBytes(5).toString('hex')}:`;
}

export interface OwnRedis {
  url: string;
  port: number;
  /** Stops the server (SIGTERM) and resolves once it has exited. Idempotent. */
  stop(): Promise<void>;
  /** Starts it again on the same port (after `stop`). */
  start(): Promise<void>;
}

/**
 * A throwaway `redis-server` child on a free loopback port, without persistence, for tests that
 * stop and restart Redis (the shared one on 6379 must stay up for everybody else).
 */
export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const start = async () => {
    const spawned = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child = spawned;
    await new Promise<void>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${output}`)), 10_000);
      spawned.stdout.on('data', (chunk) => {
        output += chunk;
        if (/ready to accept connections/i.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      });
      spawned.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with ${code}: ${output}`));
      });
    });
  };
  const stop = async () => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM');
    await exited;
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, port, stop, start };
}
