// Keys like `x-api-key` read fine after a dot; anything stranger is quoted so the path stays unambiguous.
const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

/**
 * Writes a key path the way users write it in JavaScript: `agents[0].headers.authorization`.
 * The empty path is the top-level value, written `(root)`.
 */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else {
      const key = String(segment);
      out += PLAIN_KEY.test(key) ? (out === '' ? key : `.${key}`) : `[${JSON.stringify(key)}]`;
    }
  }
  return out === '' ? '(root)' : out;
}
