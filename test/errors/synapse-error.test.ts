import { describe, expect, it, vi } from 'vitest';
import * as errors from '../../src/errors/index.js';
import {
  InvalidInputError,
  isSynapseError,
  LeaseLostError,
  RunError,
  SequenceConflictError,
  SynapseError,
  ToolTimeoutError,
  ToolUpstreamError,
  UpstreamError,
  UserError,
} from '../../src/errors/index.js';

/** Every error class src/errors exports. */
const classes = Object.entries(errors).filter(
  (entry): entry is [string, typeof SynapseError] =>
    typeof entry[1] === 'function' && entry[1].prototype instanceof Error,
);

describe('the error family', () => {
  it('roots every error class in SynapseError, each with a brand of its own', () => {
    expect(classes.length).toBeGreaterThanOrEqual(20);
    const brands = new Set<symbol>();
    for (const [name, ErrorClass] of classes) {
      expect(
        ErrorClass === SynapseError ||
          Object.prototype.isPrototypeOf.call(SynapseError.prototype, ErrorClass.prototype),
        name,
      ).toBe(true);
      expect(Object.hasOwn(ErrorClass, 'brand'), name).toBe(true);
      expect(ErrorClass.brand, name).toBe(
        Symbol.for(name === 'SynapseError' ? 'synapse.error' : `synapse.error.${name}`),
      );
      brands.add(ErrorClass.brand);
    }
    expect(brands.size).toBe(classes.length);
  });

  it('gives every error a stable code and keeps its message', () => {
    const error = UpstreamError.timeout('idle', 500);
    expect(error.code).toBe(errors.RunErrorCode.UPSTREAM_TIMEOUT);
    expect(error.message).toBe('idle timeout: the upstream did not answer within 500 ms');
    expect(error.name).toBe('UpstreamError');
    expect(new LeaseLostError('w', 1, 2).code).toBe(errors.InternalErrorCode.LEASE_LOST);
    expect(new SequenceConflictError('w', 1, 3).code).toBe(errors.InternalErrorCode.SEQUENCE_CONFLICT);
    expect(new errors.ShuttingDownError().code).toBe(errors.GraphqlErrorCode.SHUTTING_DOWN);
    expect(new errors.StoreUnavailableError('SQLite').code).toBe(errors.GraphqlErrorCode.STORE_UNAVAILABLE);
    expect(new InvalidInputError([{ field: 'input.prompt', message: 'empty' }]).code).toBe(
      errors.UserErrorCode.INVALID_INPUT,
    );
  });

  it('answers instanceof by brand: ancestors yes, siblings no', () => {
    const upstream = UpstreamError.protocol('bad frame');
    expect(upstream).toBeInstanceOf(UpstreamError);
    expect(upstream).toBeInstanceOf(RunError);
    expect(upstream).toBeInstanceOf(SynapseError);
    expect(upstream).toBeInstanceOf(Error);
    expect(upstream instanceof UserError).toBe(false);
    expect(RunError.internal() instanceof UpstreamError).toBe(false);

    const timeout = new ToolTimeoutError('late', { id: 'w' });
    expect(timeout).toBeInstanceOf(UserError);
    expect(timeout instanceof ToolUpstreamError).toBe(false);
    expect(timeout instanceof InvalidInputError).toBe(false);

    expect(new Error('plain') instanceof SynapseError).toBe(false);
    expect((null as unknown as object) instanceof SynapseError).toBe(false);
    expect(isSynapseError(upstream)).toBe(true);
    expect(isSynapseError(new Error('plain'))).toBe(false);
    expect(isSynapseError('UPSTREAM_TIMEOUT')).toBe(false);
  });

  it('keeps instanceof true across two copies of the module', async () => {
    vi.resetModules();
    const copy = await import('../../src/errors/index.js');
    expect(copy.UpstreamError).not.toBe(UpstreamError);
    const fromCopy = copy.UpstreamError.disconnected('reset');
    expect(fromCopy).toBeInstanceOf(UpstreamError);
    expect(fromCopy).toBeInstanceOf(RunError);
    expect(fromCopy instanceof LeaseLostError).toBe(false);
    expect(isSynapseError(fromCopy)).toBe(true);
    expect(new LeaseLostError('w', 1, null)).toBeInstanceOf(copy.LeaseLostError);
  });

  it('keeps the brands out of enumerable properties', () => {
    const error = new SequenceConflictError('w', 1, 3);
    expect(
      Object.getOwnPropertySymbols(error).every(
        (symbol) => !Object.getOwnPropertyDescriptor(error, symbol)!.enumerable,
      ),
    ).toBe(true);
    expect({ ...error }).toEqual({
      name: 'SequenceConflictError',
      code: 'SEQUENCE_CONFLICT',
      workflowId: 'w',
      expected: 1,
      received: 3,
    });
  });

  it('leaves a subclass without a brand of its own to the prototype chain', () => {
    class Local extends RunError {}
    expect(new Local('X', 'x')).toBeInstanceOf(Local);
    expect(RunError.internal() instanceof Local).toBe(false);
    expect(new Local('X', 'x')).toBeInstanceOf(RunError);
  });
});
