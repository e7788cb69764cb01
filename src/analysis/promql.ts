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
 * Queries that passed, by shape: neither the grammar nor the type rules look inside string literals, so
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
        out += c + c;
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
  const type = new TypeChecker(query, problems).type(root);
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

const COMPARISONS = new Set(['Eql', 'Neq', 'Gtr', 'Lss', 'Gte', 'Lte']);
const SET_OPERATORS = new Set(['And', 'Or', 'Unless']);

/** Computes value types bottom-up, reporting the first type error of each subtree. */
class TypeChecker {
  /** `text` is the query as written: placeholders were replaced by stand-ins of the same length. */
  constructor(private readonly text: string, private readonly problems: PromQLProblem[]) {}

  type(node: SyntaxNode): PromQLType | undefined {
    switch (node.name) {
      case 'NumberDurationLiteral': return 'scalar';
      case 'StringLiteral': return 'string';
      case 'VectorSelector': return 'vector';
      case 'MatrixSelector': case 'SubqueryExpr': return this.expect(node.firstChild!, ['vector'], 'a range or subquery selects from') ? 'matrix' : undefined;
      case 'ParenExpr': return this.type(node.firstChild!);
      case 'OffsetExpr': case 'StepInvariantExpr': {
        // Newer grammars accept a modifier after any expression; the engine only after a selector or subquery.
        const target = node.firstChild!;
        if (!['VectorSelector', 'MatrixSelector', 'SubqueryExpr'].includes(target.name)) {
          this.problems.push({ offset: target.to, message: `${node.name === 'OffsetExpr' ? 'offset' : '@'} must follow a selector or subquery, not ${JSON.stringify(this.source(target))}` });
          return undefined;
        }
        return this.type(target);
      }
      case 'AnchoredExpr': case 'SmoothedExpr': return this.type(node.firstChild!);
      case 'UnaryExpr': return this.expect(node.lastChild!, ['scalar', 'vector'], 'unary minus/plus needs');
      case 'AggregateExpr': return this.aggregate(node);
      case 'FunctionCall': return this.call(node);
      case 'BinaryExpr': return this.binary(node);
      default: return undefined; // grammar additions newer than this checker: left to promtool
    }
  }

  private expect(node: SyntaxNode, allowed: readonly PromQLType[], what: string): PromQLType | undefined {
    const got = this.type(node);
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

  private binary(node: SyntaxNode): PromQLType | undefined {
    const lhs = node.firstChild!;
    const op = lhs.nextSibling!;
    const rhs = node.lastChild!;
    const l = this.expect(lhs, ['scalar', 'vector'], `binary ${this.source(op)} needs`);
    const r = this.expect(rhs, ['scalar', 'vector'], `binary ${this.source(op)} needs`);
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

/** A PromQL string literal for a label value; JSON escapes are valid PromQL escapes. */
export function promqlString(value: string): string {
  return JSON.stringify(value);
}
