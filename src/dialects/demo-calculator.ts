/** Longest expression the calculator reads, and deepest nesting of parentheses and minus signs. */
export const CALCULATOR_LIMITS = { maxLength: 1_000, maxDepth: 64 } as const;

/**
 * The demo agent's built-in tool: evaluates `+ - * /` with parentheses and unary minus over
 * decimal numbers. A small recursive-descent parser, never `eval`. Every failure is a
 * SyntaxError whose message is fit for the caller: the recursion is bounded (a hostile
 * `((((…` is refused, not a stack overflow) and a long expression is not echoed back whole.
 */
export function calculate(expression: string): number {
  const shown = expression.length <= 80 ? expression : `${expression.slice(0, 40)}…`;
  if (expression.length > CALCULATOR_LIMITS.maxLength) {
    throw new SyntaxError(
      `the expression is ${expression.length} characters long, more than ${CALCULATOR_LIMITS.maxLength}`,
    );
  }
  const tokens = expression.match(/\d+(?:\.\d+)?|[-+*/()]|\S/g) ?? [];
  let position = 0;
  let depth = 0;
  const peek = () => tokens[position];
  const take = () => tokens[position++];

  const primary = (): number => {
    if (++depth > CALCULATOR_LIMITS.maxDepth)
      throw new SyntaxError(`the expression nests deeper than ${CALCULATOR_LIMITS.maxDepth} levels`);
    try {
      const token = take();
      if (token === '(') {
        const value = sum();
        if (take() !== ')') throw new SyntaxError(`expected ")" in "${shown}"`);
        return value;
      }
      if (token === '-') return -primary();
      if (token !== undefined && /^\d/.test(token)) return Number(token);
      throw new SyntaxError(`unexpected ${token === undefined ? 'end' : `"${token}"`} in "${shown}"`);
    } finally {
      depth--;
    }
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
  if (position !== tokens.length) throw new SyntaxError(`unexpected "${peek()}" in "${shown}"`);
  return value;
}

/** The first arithmetic expression in a text, such as `12 * (3 + 4)`, or null. */
export function findExpression(text: string): string | null {
  const match = text.match(/[-(]*\d+(?:\.\d+)?(?:\s*[-+*/]\s*[(]*\s*\d+(?:\.\d+)?\s*[)]*)+/);
  return match ? match[0].trim() : null;
}
