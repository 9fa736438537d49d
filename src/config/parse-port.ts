import { PORT_RANGE } from './schema.js';

/**
 * A port written as text (`PORT`, `--port`): digits only, so `Number()` cannot turn "0x50",
 * " 80" or "1e3" into a port, and within PORT_RANGE. Null when it is not one.
 */
export function parsePort(text: string): number | null {
  if (!/^\d{1,5}$/.test(text)) return null;
  const port = Number(text);
  return port >= PORT_RANGE.min && port <= PORT_RANGE.max ? port : null;
}

/** The reason shown when `parsePort` refuses a value. */
export const PORT_RULE = `a whole number from ${PORT_RANGE.min} to ${PORT_RANGE.max}`;
