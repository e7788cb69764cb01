/**
 * Synth-time PromQL checks with Prometheus' own grammar (`@prometheus-io/lezer-promql`, the parser of the
 * Prometheus UI), plus the value-type rules the grammar leaves to the engine (`sum(x[5m])`, `rate(x)`,
 * `a and 1`), so a query the controller would send to a failing Prometheus is a spec error instead.
 *
 * Lezer recovers from syntax errors by inserting error nodes (`⚠`) instead of failing; every error node
 * is reported. promtool (`promtool check rules`) remains the authority and the tests compare the two.
 */
import { parser } from '@prometheus-io/lezer-promql';
import type { SyntaxNode } from '@lezer/common';
import { re2Problem } from './re2';

/** PromQL value types, as the engine names them. */
export type PromQLType = 'scalar' | 'vector' | 'matrix' | 'string';

export interface PromQLProblem {
  /** Offset in the query as written (placeholders are substituted by stand-ins of the same length). */
  readonly offset: number;
  readonly message: string;
}

export interface PromQLCheck {
  readonly problems: readonly PromQLProblem[];
  /** Type of the whole expression when it parses. */
  readonly type?: PromQLType;
}

const PLACEHOLDER = /\{\{\s*[A-Za-z0-9_.-]+\s*\}\}/g;

/**
 * Replaces `{{args.x}}` placeholders with a stand-in of the same length the grammar accepts where the
 * placeholder stands: any text inside a string, a duration inside `[...]` or after `offset`, a number
 * elsewhere. Same length keeps error offsets pointing into the query as written.
 */
export function substitutePlaceholders(query: string): string {
  return query.replace(PLACEHOLDER, (match, offset: number) => {
    const before = query.slice(0, offset);
    if (insideString(before)) return 'x'.repeat(match.length);
    const stand = /(\[|:|offset\s*)\s*$/.test(before) ? '1m' : '1';
    return stand.padEnd(match.length, ' ');
  });
}

function insideString(text: string): boolean {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\' && quote !== '`') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'" || c === '`') {
      quote = c;
    }
  }
  return quote !== undefined;
}

/**
 * Queries that passed, by shape: neither the grammar nor the type rules look inside string literals (but
 * regex matchers, kept whole), so
 * a fleet's queries that differ only in label values (namespace, app) are checked once. Failures are
 * not cached; their messages quote the query as written.
 */
const passedShapes = new Map<string, PromQLType | undefined>();

/** Parses and type-checks a query (placeholders allowed). */
export function checkPromQL(query: string): PromQLCheck {
  const shape = withoutStringContents(query);
  if (passedShapes.has(shape)) return { problems: [], type: passedShapes.get(shape) };
  const check = checkText(query);
  if (check.problems.length === 0) passedShapes.set(shape, check.type);
  return check;
}

/** The query with every string literal emptied; comments are kept whole, quotes in them are text. */
function withoutStringContents(query: string): string {
  let out = '';
  for (let i = 0; i < query.length; i++) {
    const c = query[i];
    if (c === '#') {
      const end = query.indexOf('\n', i);
      out += query.slice(i, end < 0 ? query.length : end);
      i = end < 0 ? query.length : end - 1;
    } else if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      // Raw (backtick) strings have no escapes and may span lines; the others end at a newline.
      const raw = c === '`';
      while (j < query.length && query[j] !== c && (raw || query[j] !== '\n')) j += !raw && query[j] === '\\' ? 2 : 1;
      if (j < query.length && query[j] === c) {
        // A regex is compiled by the check (RE2 rules), so its text is part of the shape.
        out += /[=!]~\s*$/.test(out) ? query.slice(i, j + 1) : c + c;
        i = j;
      } else {
        // An unterminated string keeps its text, so it cannot share a shape with a terminated one.
        out += query.slice(i, j);
        i = j - 1;
      }
    } else {
      out += c;
    }
  }
  return out;
}

function checkText(query: string): PromQLCheck {
  const text = substitutePlaceholders(query);
  if (text.trim() === '') return { problems: [{ offset: 0, message: 'is empty' }] };
  const tree = parser.parse(text);
  const problems: PromQLProblem[] = [];
  tree.iterate({
    enter: (node) => {
      // Lezer recovers and goes on; after the first error node the rest are consequences of it.
      if (node.type.isError && problems.length === 0) problems.push({ offset: node.from, message: `does not parse ${where(text, node.from)}` });
      if (problems.length > 0) return false;
      return undefined;
    },
  });
  if (problems.length > 0) return { problems };
  const root = tree.topNode.firstChild;
  if (!root) return { problems: [{ offset: 0, message: 'is empty' }] };
  const type = new TypeChecker(query, text, problems).type(root);
  return { problems, type: problems.length === 0 ? type : undefined };
}

function where(text: string, offset: number): string {
  const lines = text.slice(0, offset).split('\n');
  const line = lines.length;
  const col = lines[lines.length - 1].length + 1;
  const near = text.slice(offset, offset + 20).split('\n')[0];
  return `at line ${line}, column ${col}${near ? ` (near ${JSON.stringify(near)})` : ' (unexpected end)'}`;
}

type Arg = PromQLType | `${PromQLType}?` | `${PromQLType}*`;

/** Function signatures: argument types and result. `?` = optional, `*` = any number. */
const FUNCTIONS: Readonly<Record<string, readonly [readonly Arg[], PromQLType]>> = (() => {
  const table: Record<string, readonly [readonly Arg[], PromQLType]> = {};
  const def = (names: string, args: readonly Arg[], ret: PromQLType) => names.split(' ').forEach((n) => { table[n] = [args, ret]; });
  def('rate irate increase delta idelta deriv changes resets avg_over_time min_over_time max_over_time sum_over_time count_over_time last_over_time first_over_time present_over_time stddev_over_time stdvar_over_time absent_over_time mad_over_time ts_of_max_over_time ts_of_min_over_time ts_of_last_over_time ts_of_first_over_time', ['matrix'], 'vector');
  def('quantile_over_time', ['scalar', 'matrix'], 'vector');
  def('predict_linear', ['matrix', 'scalar'], 'vector');
  def('holt_winters double_exponential_smoothing', ['matrix', 'scalar', 'scalar'], 'vector');
  def('abs ceil floor exp ln log2 log10 sqrt sgn deg rad sin cos tan asin acos atan sinh cosh tanh asinh acosh atanh sort sort_desc absent timestamp histogram_count histogram_sum histogram_avg histogram_stddev histogram_stdvar', ['vector'], 'vector');
  def('days_in_month day_of_month day_of_week day_of_year hour minute month year', ['vector?'], 'vector');
  def('round', ['vector', 'scalar?'], 'vector');
  def('clamp', ['vector', 'scalar', 'scalar'], 'vector');
  def('clamp_max clamp_min', ['vector', 'scalar'], 'vector');
  def('histogram_quantile', ['scalar', 'vector'], 'vector');
  def('histogram_fraction', ['scalar', 'scalar', 'vector'], 'vector');
  def('label_replace', ['vector', 'string', 'string', 'string', 'string'], 'vector');
  def('label_join', ['vector', 'string', 'string', 'string*'], 'vector');
  def('sort_by_label sort_by_label_desc', ['vector', 'string*'], 'vector');
  def('scalar', ['vector'], 'scalar');
  def('vector', ['scalar'], 'vector');
  def('time pi', [], 'scalar');
  return table;
})();

/** Aggregations whose first argument is a parameter of the given type. */
const AGGREGATION_PARAMS: Readonly<Record<string, PromQLType>> = {
  topk: 'scalar', bottomk: 'scalar', quantile: 'scalar', limitk: 'scalar', limit_ratio: 'scalar', count_values: 'string',
};

function key(node: SyntaxNode): string {
  return `${node.from}:${node.to}:${node.name}`;
}

/** The nodes lezer puts above their operand that the engine binds tightest. */
const POSTFIX = new Set(['MatrixSelector', 'SubqueryExpr', 'OffsetExpr', 'StepInvariantExpr']);
const COMPARISONS = new Set(['Eql', 'Neq', 'Gtr', 'Lss', 'Gte', 'Lte']);
const SET_OPERATORS = new Set(['And', 'Or', 'Unless']);

/** Computes value types bottom-up, reporting the first type error of each subtree. */
class TypeChecker {
  /** `text` is the query as written, `parsed` the text parsed: placeholders replaced by stand-ins of the same length. */
  constructor(private readonly text: string, private readonly parsed: string, private readonly problems: PromQLProblem[]) {}

  type(node: SyntaxNode): PromQLType | undefined {
    switch (node.name) {
      case 'NumberDurationLiteral': return 'scalar';
      case 'StringLiteral': return 'string';
      case 'VectorSelector': return this.matchers(node) ? 'vector' : undefined;
      case 'MatrixSelector': return this.range(node);
      case 'SubqueryExpr': return this.postfix(node, (target) => (this.expect(target, ['vector'], 'a subquery selects from') && this.durations(node) ? 'matrix' : undefined));
      case 'ParenExpr': return this.type(node.firstChild!);
      case 'OffsetExpr': case 'StepInvariantExpr': return this.modifier(node);
      case 'AnchoredExpr': case 'SmoothedExpr': return this.type(node.firstChild!);
      case 'UnaryExpr': return this.unary(node);
      case 'AggregateExpr': return this.aggregate(node);
      case 'FunctionCall': return this.call(node);
      case 'BinaryExpr': return this.binary(node);
      default: return undefined; // grammar additions newer than this checker: left to promtool
    }
  }

  /**
   * Lezer gives the postfix operators (`[2m]`, `[5m:1m]`, `offset`, `@`) the lowest precedence, the engine
   * the highest: lezer's `(a or b)[2m]` is the engine's `a or (b[2m])`, and `(-x @ 1)[1m:]` is `-(x @ 1[1m:])`.
   * So a chain of postfixes over a sign or a binary expression is applied where the engine applies it:
   * under the sign, to the right operand. `moved` records, while that is checked, which node stands in
   * for the sign or binary expression (by position: lezer makes new node objects on each access).
   */
  private readonly moved = new Map<string, SyntaxNode>();

  /** The operand of a postfix node, as the engine sees it. */
  private operand(node: SyntaxNode): SyntaxNode {
    let child = node.firstChild!;
    for (let next = this.moved.get(key(child)); next; next = this.moved.get(key(child))) child = next;
    return child;
  }

  private postfix(node: SyntaxNode, check: (target: SyntaxNode) => PromQLType | undefined): PromQLType | undefined {
    let bottom = this.operand(node);
    while (POSTFIX.has(bottom.name)) bottom = this.operand(bottom);
    if (bottom.name !== 'BinaryExpr' && bottom.name !== 'UnaryExpr') return check(this.operand(node));
    this.moved.set(key(bottom), bottom.lastChild!);
    try {
      return bottom.name === 'BinaryExpr' ? this.binary(bottom, () => this.type(node)) : this.unary(bottom, () => this.type(node));
    } finally {
      this.moved.delete(key(bottom));
    }
  }

  /** `x[2m]`: only a vector selector takes a range, before any offset or `@ <time>` (the engine's parser rules). */
  private range(node: SyntaxNode): PromQLType | undefined {
    return this.postfix(node, (target) => {
      // promtool 2.42 takes `x @ start()[2m]` (its check looks at a numeric @ only), so canarykit does too.
      const atNumber = target.name === 'StepInvariantExpr' && target.getChild('AtModifierPreprocessors') === null;
      if (target.name !== 'VectorSelector' && !(target.name === 'StepInvariantExpr' && !atNumber && this.operand(target).name === 'VectorSelector')) {
        const what = target.name === 'OffsetExpr' ? 'no offset modifier is allowed before a range: write x[2m] offset 5m'
          : atNumber ? 'no @ modifier is allowed before a range: write x[2m] @ t'
          : `ranges are only allowed for vector selectors, not ${JSON.stringify(this.source(target))} (a subquery takes [2m:])`;
        this.problems.push({ offset: target.to, message: what });
        return undefined;
      }
      return this.type(target) !== undefined && this.durations(node) ? 'matrix' : undefined;
    });
  }

  /** `offset` and `@`: after a selector, a range or a subquery, each at most once. */
  private modifier(node: SyntaxNode): PromQLType | undefined {
    const word = node.name === 'OffsetExpr' ? 'offset' : '@';
    return this.postfix(node, (target) => {
      let inner = target;
      while (inner.name === 'OffsetExpr' || inner.name === 'StepInvariantExpr') {
        if (inner.name === node.name) {
          this.problems.push({ offset: node.from, message: `${word} may be set only once` });
          return undefined;
        }
        inner = this.operand(inner);
      }
      if (!['VectorSelector', 'MatrixSelector', 'SubqueryExpr'].includes(inner.name)) {
        this.problems.push({ offset: target.to, message: `${word} must follow a selector or subquery, not ${JSON.stringify(this.source(inner))}` });
        return undefined;
      }
      if (node.name === 'OffsetExpr' && !this.durations(node)) return undefined;
      return this.type(target);
    });
  }

  private unary(node: SyntaxNode, operand: () => PromQLType | undefined = () => this.type(node.lastChild!)): PromQLType | undefined {
    const got = operand();
    if (got === undefined || got === 'scalar' || got === 'vector') return got;
    this.problems.push({ offset: node.from, message: `unary minus/plus needs a scalar or an instant vector, but ${JSON.stringify(this.source(node))} is ${article(got)}` });
    return undefined;
  }

  /**
   * The durations of a range, subquery or offset: plain Go-style literals with units, greater than zero
   * (the engine refuses `[0s]`, `offset 0s`, `[5]`). Duration arithmetic (`[1m+1m]`) is an experimental
   * feature behind a Prometheus flag; lezer parses it, the engine does not by default.
   */
  private durations(node: SyntaxNode): boolean {
    for (let c = node.firstChild; c; c = c.nextSibling) {
      if (c.name !== 'DurationExpr' && c.name !== 'OffsetDurationExpr') continue;
      let d: SyntaxNode = c;
      // A sign only in an offset (`offset -5m`, Prometheus 2.33+).
      if (d.name === 'OffsetDurationExpr' && d.firstChild?.name === 'UnaryOp' && d.lastChild?.name === 'OffsetDurationExpr') d = d.lastChild;
      const literal = d.firstChild;
      if (!literal || literal.nextSibling || literal.name !== 'NumberDurationLiteralInDurationContext') {
        this.problems.push({ offset: c.from, message: `${JSON.stringify(this.source(c))} is duration arithmetic, an experimental Prometheus feature (promql-duration-expr); write one duration such as 2m` });
        return false;
      }
      // A `{{args.x}}` duration is checked as its stand-in: its value is known only at run time.
      const text = this.parsed.slice(literal.from, literal.to).trim();
      const units = /^(?:\d+(?:ms|s|m|h|d|w|y))+$/.test(text) ? [...text.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)] : undefined;
      if (!units) {
        this.problems.push({ offset: literal.from, message: `${JSON.stringify(text)} is not a duration with units, such as 2m or 90s` });
        return false;
      }
      if (units.every((u) => Number(u[1]) === 0)) {
        this.problems.push({ offset: literal.from, message: `duration ${text} must be greater than 0` });
        return false;
      }
    }
    return true;
  }

  /** Regex matchers (`=~`, `!~`) compile as RE2, as Prometheus compiles them. */
  private matchers(node: SyntaxNode): boolean {
    const list = node.getChild('LabelMatchers');
    for (let m = list?.firstChild; m; m = m.nextSibling) {
      const op = m.getChild('MatchOp')?.firstChild?.name;
      if (op !== 'EqlRegex' && op !== 'NeqRegex') continue;
      const literal = m.lastChild!;
      const pattern = unquote(this.parsed.slice(literal.from, literal.to));
      const problem = pattern === undefined ? undefined : re2Problem(pattern);
      if (problem) {
        this.problems.push({ offset: literal.from, message: `has the regex ${this.source(literal)}, which Prometheus cannot compile: ${problem}` });
        return false;
      }
    }
    return true;
  }

  private expect(node: SyntaxNode, allowed: readonly PromQLType[], what: string, typeOf = () => this.type(node)): PromQLType | undefined {
    const got = typeOf();
    if (got !== undefined && !allowed.includes(got)) {
      this.problems.push({ offset: node.from, message: `${what} ${allowed.map(article).join(' or ')}, but ${JSON.stringify(this.source(node))} is ${article(got)}` });
      return undefined;
    }
    return got;
  }

  private args(node: SyntaxNode): SyntaxNode[] {
    const body = node.getChild('FunctionCallBody');
    const out: SyntaxNode[] = [];
    for (let c = body?.firstChild; c; c = c.nextSibling) out.push(c);
    return out;
  }

  private aggregate(node: SyntaxNode): PromQLType | undefined {
    const op = this.source(node.getChild('AggregateOp')!);
    const args = this.args(node);
    const param = AGGREGATION_PARAMS[op];
    const want = param ? 2 : 1;
    if (args.length !== want) {
      this.problems.push({ offset: node.from, message: `${op}() takes ${want} argument(s), got ${args.length}` });
      return undefined;
    }
    if (param) this.expect(args[0], [param], `the parameter of ${op}() must be`);
    return this.expect(args[args.length - 1], ['vector'], `${op}() aggregates`) ? 'vector' : undefined;
  }

  private call(node: SyntaxNode): PromQLType | undefined {
    const name = this.source(node.getChild('FunctionIdentifier')!);
    const args = this.args(node);
    const sig = FUNCTIONS[name];
    if (!sig) {
      args.forEach((a) => this.type(a));
      return 'vector';
    }
    const [params, ret] = sig;
    const required = params.filter((p) => !p.endsWith('?') && !p.endsWith('*')).length;
    const variadic = params.some((p) => p.endsWith('*'));
    if (args.length < required || (!variadic && args.length > params.length)) {
      this.problems.push({ offset: node.from, message: `${name}() takes ${describeArity(params)} argument(s), got ${args.length}` });
      return undefined;
    }
    let ok = true;
    args.forEach((a, i) => {
      const p = params[Math.min(i, params.length - 1)].replace(/[?*]$/, '') as PromQLType;
      if (!this.expect(a, [p], `argument ${i + 1} of ${name}() must be`)) ok = false;
    });
    return ok ? ret : undefined;
  }

  /** `right` types the right operand in place of the tree's (a postfix lezer put above the whole expression). */
  private binary(node: SyntaxNode, right?: () => PromQLType | undefined): PromQLType | undefined {
    const lhs = node.firstChild!;
    const op = lhs.nextSibling!;
    const rhs = node.lastChild!;
    const l = this.expect(lhs, ['scalar', 'vector'], `binary ${this.source(op)} needs`);
    const r = this.expect(rhs, ['scalar', 'vector'], `binary ${this.source(op)} needs`, right);
    if (!l || !r) return undefined;
    const hasBool = node.getChild('BoolModifier') !== null;
    if (SET_OPERATORS.has(op.name) && (l !== 'vector' || r !== 'vector')) {
      this.problems.push({ offset: op.from, message: `set operator ${this.source(op)} needs instant vectors on both sides` });
      return undefined;
    }
    if (COMPARISONS.has(op.name) && l === 'scalar' && r === 'scalar' && !hasBool) {
      this.problems.push({ offset: op.from, message: `comparisons between scalars must use the bool modifier (${this.source(op)} bool)` });
      return undefined;
    }
    if (node.getChild('MatchingModifierClause') !== null && (l !== 'vector' || r !== 'vector')) {
      this.problems.push({ offset: op.from, message: `vector matching (on, ignoring, group_left/right) is only allowed between instant vectors, not with a scalar` });
      return undefined;
    }
    if (hasBool && !COMPARISONS.has(op.name)) {
      this.problems.push({ offset: op.from, message: `bool modifier is only allowed on comparisons, not ${this.source(op)}` });
      return undefined;
    }
    return l === 'vector' || r === 'vector' ? 'vector' : 'scalar';
  }

  private source(node: SyntaxNode): string {
    return this.text.slice(node.from, node.to);
  }
}

function describeArity(params: readonly Arg[]): string {
  const required = params.filter((p) => !p.endsWith('?') && !p.endsWith('*')).length;
  if (params.some((p) => p.endsWith('*'))) return `at least ${required}`;
  return required === params.length ? `${required}` : `${required} to ${params.length}`;
}

function article(type: string): string {
  return type === 'matrix' ? 'a range vector' : type === 'vector' ? 'an instant vector' : `a ${type}`;
}

/**
 * The query with the `values` the controller will substitute (`{{args.x}}` -> the arg's static value;
 * others keep their stand-in), and whether that query still has the structure of the query as checked
 * (the same syntax tree, node for node). The controller substitutes raw text, so a value such as
 * `"} or vector(1) or x{a="` in a label would turn a gate into one that always passes.
 */
export function substituteArgs(query: string, values: ReadonlyMap<string, string>): { query: string; sameStructure: boolean } {
  const withValues = query.replace(PLACEHOLDER, (match) => {
    const name = /^\{\{\s*args\.([A-Za-z0-9_.-]+)\s*\}\}$/.exec(match)?.[1];
    return name !== undefined && values.has(name) ? values.get(name)! : match;
  });
  // A fleet substitutes the same values into the same queries: each pair is parsed once.
  const key = `${query}\u0000${withValues}`;
  let same = sameStructures.get(key);
  if (same === undefined) {
    same = skeleton(substitutePlaceholders(query)) === skeleton(substitutePlaceholders(withValues));
    sameStructures.set(key, same);
  }
  return { query: withValues, sameStructure: same };
}
const sameStructures = new Map<string, boolean>();

/** The syntax tree's node names in order: equal for queries that differ only inside literals. */
function skeleton(text: string): string {
  const names: string[] = [];
  parser.parse(text).iterate({ enter: (node) => { names.push(node.type.name); } });
  return names.join(' ');
}

/** The value of a PromQL string literal (Go's quoting rules), or undefined if it is not one this reads. */
function unquote(literal: string): string | undefined {
  if (literal.startsWith('`')) return literal.slice(1, -1);
  try {
    const body = literal.slice(1, -1)
      .replace(/\\(.)/g, (m, c: string) => (c === "'" ? "'" : c === 'a' ? '\\u0007' : c === 'v' ? '\\u000b' : m))
      .replace(/\\x([0-9A-Fa-f]{2})/g, '\\u00$1');
    return JSON.parse(`"${body.replace(/(^|[^\\])((?:\\\\)*)"/g, '$1$2\\"')}"`) as string;
  } catch {
    return undefined;
  }
}

/** A PromQL string literal for a label value; JSON escapes are valid PromQL escapes. */
export function promqlString(value: string): string {
  return JSON.stringify(value);
}
