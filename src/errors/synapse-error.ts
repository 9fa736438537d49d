/**
 * The root of Synapse's error family (docs/errors.md, "The error family"), after undici's
 * `lib/core/errors.js`: one base class, a stable `code` on every error, and a brand so that
 * `instanceof` holds across two copies of this module (the CLI bundle beside `dist/`, a test
 * that imports `src/` next to a built server).
 *
 * Every class of the family declares its own brand, `Symbol.for('synapse.error.<Name>')`, in a
 * static `brand`; the constructor marks the instance with the brand of its class and of every
 * ancestor, and `instanceof` reads the mark instead of the prototype chain.
 */

/** The brand every member of the family carries; see {@link isSynapseError}. */
export const kSynapseError: unique symbol = Symbol.for('synapse.error') as never;

type Branded = abstract new (...args: never[]) => unknown;

function ownBrand(constructor: unknown): symbol | undefined {
  return typeof constructor === 'function' && Object.hasOwn(constructor, 'brand')
    ? (constructor as unknown as { brand: symbol }).brand
    : undefined;
}

/** True for any error of the family, whichever copy of this module made it. */
export function isSynapseError(value: unknown): value is SynapseError {
  return (
    typeof value === 'object' && value !== null && (value as { [kSynapseError]?: unknown })[kSynapseError] === true
  );
}

/**
 * The base of every error Synapse throws on purpose. `code` is stable (the constants of
 * `codes.ts`): for an error that reaches a caller it is the code the caller sees; `message` is for
 * people. Subclasses set `name` and declare `static readonly brand`.
 */
export class SynapseError extends Error {
  static readonly brand: symbol = kSynapseError;

  static override [Symbol.hasInstance](this: Branded, instance: unknown): boolean {
    const brand = ownBrand(this);
    // A subclass outside the family's convention (no brand of its own) falls back to the prototype chain.
    if (brand === undefined) return Function.prototype[Symbol.hasInstance].call(this, instance);
    return typeof instance === 'object' && instance !== null && (instance as Record<symbol, unknown>)[brand] === true;
  }

  override readonly name: string = 'SynapseError';
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    for (
      let constructor: unknown = new.target;
      constructor !== Error && typeof constructor === 'function';
      constructor = Object.getPrototypeOf(constructor)
    ) {
      const brand = ownBrand(constructor);
      // Not enumerable: the marks stay out of logs, spreads and test equality.
      if (brand !== undefined) Object.defineProperty(this, brand, { value: true });
    }
  }
}
