// Evaluates a userType expression of the form entraExpression.ts builds, as Entra would for a user
// holding one app role, so an administrator can check an expression before saving it in Entra.
import { ConfigError } from "../../shared/errors.js";
import { ROLE_FUNCTION } from "./entraExpression.js";

export type ExpressionNode =
  | { kind: "literal"; value: string }
  | { kind: "iif"; role: string; then: ExpressionNode; otherwise: ExpressionNode };

export interface Evaluation {
  /** What Entra would send as userType. */
  userType: string;
  /** The IIF that matched; undefined when the default applied. */
  matchedRole: string | undefined;
}

/** Parses the supported subset: string literals and IIF(<role function>="role", expr, expr). */
export function parseExpression(text: string): ExpressionNode {
  const parser = new Parser(text);
  const node = parser.expression();
  parser.end();
  return node;
}

/** The userType for a user whose single app role is `role` (undefined: the user has none). */
export function evaluateExpression(node: ExpressionNode, role: string | undefined): Evaluation {
  switch (node.kind) {
    case "literal":
      return { userType: node.value, matchedRole: undefined };
    case "iif": {
      // Entra compares the role with =; a user with no role matches no IIF.
      if (role === undefined || node.role !== role) return evaluateExpression(node.otherwise, role);
      const inner = evaluateExpression(node.then, role);
      return { userType: inner.userType, matchedRole: inner.matchedRole ?? node.role };
    }
    default: {
      const never: never = node;
      throw new Error(`unhandled expression node ${JSON.stringify(never)}`);
    }
  }
}

/** Every app role name the expression tests, each once, in the order it first appears. */
export function rolesTested(node: ExpressionNode, found: string[] = []): string[] {
  if (node.kind === "iif") {
    if (!found.includes(node.role)) found.push(node.role);
    rolesTested(node.then, found);
    rolesTested(node.otherwise, found);
  }
  return found;
}

class Parser {
  private position = 0;

  constructor(private readonly text: string) {}

  expression(): ExpressionNode {
    this.skipSpace();
    if (this.text.startsWith("IIF(", this.position)) return this.iif();
    return { kind: "literal", value: this.string() };
  }

  end(): void {
    this.skipSpace();
    if (this.position < this.text.length) this.fail("the end of the expression");
  }

  private iif(): ExpressionNode {
    this.expect("IIF(");
    this.expect(ROLE_FUNCTION);
    this.expect("=");
    const role = this.string();
    this.expect(",");
    const then = this.expression();
    this.expect(",");
    const otherwise = this.expression();
    this.expect(")");
    return { kind: "iif", role, then, otherwise };
  }

  private string(): string {
    this.skipSpace();
    if (this.text[this.position] !== '"') this.fail('a "quoted string"');
    const close = this.text.indexOf('"', this.position + 1);
    if (close < 0) this.fail("a closing quote");
    const value = this.text.slice(this.position + 1, close);
    this.position = close + 1;
    return value;
  }

  private expect(token: string): void {
    this.skipSpace();
    if (!this.text.startsWith(token, this.position)) this.fail(token);
    this.position += token.length;
  }

  private skipSpace(): void {
    while (/\s/.test(this.text[this.position] ?? "")) this.position += 1;
  }

  private fail(wanted: string): never {
    throw new ConfigError(
      `not an expression this tool can evaluate: expected ${wanted} at character ${this.position + 1} ` +
        `(it reads only string literals and IIF(${ROLE_FUNCTION}="role", …, …))`,
    );
  }
}
