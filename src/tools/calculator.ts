/**
 * The demo agent's built-in tool: evaluates `+ - * /` with parentheses and unary minus over
 * decimal numbers. A small recursive-descent parser, never `eval`.
 */
export function calculate(expression: string): number {
  const tokens = expression.match(/\d+(?:\.\d+)?|[-+*/()]|\S/g) ?? [];
  let position = 0;
  const peek = () => tokens[position];
  const take = () => tokens[position++];

  const primary = (): number => {
    const token = take();
    if (token === '(') {
      const value = sum();
      if (take() !== ')') throw new SyntaxError(`expected ")" in "${expression}"`);
      return value;
    }
    if (token === '-') return -primary();
    if (token !== undefined && /^\d/.test(token)) return Number(token);
    throw new SyntaxError(`unexpected ${token === undefined ? 'end' : `"${token}"`} in "${expression}"`);
  };
  const product = (): number => {
    let value = primary();
    while (peek() === '*' || peek() === '/') value = take() === '*' ? value * primary() : value / primary();
    return value;
  };
  const sum = (): number => {
    let value = product();
    while (peek() === '+' || peek() === '-') value = take() === '+' ? value + product() : value - product();
    return value;
  };

  const value = sum();
  if (position !== tokens.length) throw new SyntaxError(`unexpected "${peek()}" in "${expression}"`);
  return value;
}

/** The first arithmetic expression in a text, such as `12 * (3 + 4)`, or null. */
export function findExpression(text: string): string | null {
  const match = text.match(/[-(]*\d+(?:\.\d+)?(?:\s*[-+*/]\s*[(]*\s*\d+(?:\.\d+)?\s*[)]*)+/);
  return match ? match[0].trim() : null;
}
