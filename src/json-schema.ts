import { createRequire } from 'node:module';
import type * as AjvModule from 'ajv';
import type { Ajv, Options } from 'ajv';
import type * as Ajv2020Module from 'ajv/dist/2020.js';

const load = createRequire(import.meta.url);

/**
 * A new ajv instance with ajv-formats, for JSON Schema draft-07 or 2020-12. ajv loads with the
 * first instance (synchronously, since validators compile on demand), not at start: its modules
 * cost tens of milliseconds of a cold start (docs/performance.md) and many gateways never compile
 * a schema before their first tool call.
 */
export function newAjv(dialect: 'draft-07' | '2020-12', options: Options): Ajv {
  const AjvClass =
    dialect === '2020-12'
      ? (load('ajv/dist/2020') as typeof Ajv2020Module).Ajv2020
      : (load('ajv') as typeof AjvModule).Ajv;
  const addFormats = (load('ajv-formats') as { default: (ajv: Ajv) => Ajv }).default;
  return addFormats(new AjvClass(options));
}
