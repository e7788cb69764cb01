/**
 * Success and failure conditions: the subset of expr (github.com/expr-lang/expr, what the Argo Rollouts
 * controller evaluates) that analysis conditions use, parsed once and then either checked at synth time
 * or evaluated against a measured result in tests.
 *
 * Supported: numbers, strings, true/false/nil, `result`, `#` inside `{...}` closures, indexing, calls,
 * `! not - +`, `* / %`, `+ -`, comparisons, `&& and`, `|| or`, `?:`. Anything else is reported as not
 * checkable rather than guessed at.
 */
import type { NoDataPolicy } from '../document/types';
import { PLACEHOLDER } from '../document/patterns';

/** The measurement a condition sees: a vector query yields a list, a scalar query a number. */
export type MetricResult = number | readonly number[];

/** Phases of a measurement, as the controller names them. */
export type Phase = 'Successful' | 'Failed' | 'Inconclusive' | 'Error';

type Node =
  | { k: 'num'; v: number }
  | { k: 'str'; v: string }
  | { k: 'bool'; v: boolean }
  | { k: 'nil' }
  | { k: 'id'; name: string; pos: number }
  | { k: 'pointer'; pos: number }
  | { k: 'index'; obj: Node; idx: Node; pos: number }
  | { k: 'member'; obj: Node; name: string }
  | { k: 'call'; name: string; args: Node[]; pos: number }
  | { k: 'unary'; op: string; x: Node }
  | { k: 'binary'; op: string; l: Node; r: Node }
  | { k: 'cond'; c: Node; t: Node; f: Node }
  | { k: 'closure'; body: Node };

/** Functions the controller's environment and expr's builtins provide, with the ones evaluated here. */
const FUNCTIONS = new Set([
  'len', 'isNaN', 'isInf', 'isNil', 'asInt', 'asFloat', 'default', 'abs', 'all', 'any', 'none', 'one', 'min', 'max',
  'filter', 'map', 'count', 'sum', 'mean', 'median', 'ceil', 'floor', 'round', 'int', 'float', 'first', 'last',
]);

export class ConditionSyntaxError extends Error {
  constructor(message: string, public readonly offset: number) {
    super(message);
  }
}

const TOKEN = /\s*(?:(\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)|("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|([A-Za-z_][A-Za-z0-9_]*)|(\|\||&&|==|!=|<=|>=|[-+*/%<>!()[\],?:{}#.]))/y;

interface Token { readonly text: string; readonly kind: 'num' | 'str' | 'id' | 'op' | 'end'; readonly pos: number }

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let pos = 0;
  while (pos < src.length) {
    if (/^\s*$/.test(src.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(src);
    if (!m) throw new ConditionSyntaxError(`unexpected ${JSON.stringify(src.slice(pos).trim()[0])} at column ${pos + 1}`, pos);
    const start = m.index + m[0].length - m[0].trimStart().length;
    const kind = m[1] ? 'num' : m[2] ? 'str' : m[3] ? 'id' : 'op';
    out.push({ text: m[0].trim(), kind, pos: start });
    pos = TOKEN.lastIndex;
  }
  out.push({ text: '', kind: 'end', pos: src.length });
  return out;
}

const BINARY: readonly (readonly string[])[] = [
  ['||', 'or'], ['&&', 'and'], ['==', '!=', '<', '>', '<=', '>='], ['+', '-'], ['*', '/', '%'],
];

/** Parses a condition; throws ConditionSyntaxError with the offending column. */
export function parseCondition(src: string): Node {
  const tokens = tokenize(src);
  let i = 0;
  const peek = () => tokens[i];
  const next = () => tokens[i++];
  const expect = (text: string) => {
    const t = next();
    if (t.text !== text) throw new ConditionSyntaxError(`expected ${JSON.stringify(text)} at column ${t.pos + 1}, found ${t.kind === 'end' ? 'the end' : JSON.stringify(t.text)}`, t.pos);
  };

  const ternary = (): Node => {
    const c = binary(0);
    if (peek().text !== '?') return c;
    next();
    const t = ternary();
    expect(':');
    return { k: 'cond', c, t, f: ternary() };
  };
  const binary = (level: number): Node => {
    if (level === BINARY.length) return unary();
    let l = binary(level + 1);
    while (peek().kind !== 'str' && BINARY[level].includes(peek().text)) {
      const op = next().text;
      l = { k: 'binary', op: op === 'or' ? '||' : op === 'and' ? '&&' : op, l, r: binary(level + 1) };
    }
    return l;
  };
  const unary = (): Node => {
    const t = peek();
    if (t.kind !== 'str' && ['!', 'not', '-', '+'].includes(t.text)) {
      next();
      return { k: 'unary', op: t.text === 'not' ? '!' : t.text, x: unary() };
    }
    return postfix(primary());
  };
  const postfix = (node: Node): Node => {
    let n = node;
    while ((peek().text === '[' || peek().text === '.') && peek().kind === 'op') {
      if (next().text === '.') {
        // A field of a JSON result (New Relic's `result.errorRate`, a web metric's object).
        const name = next();
        if (name.kind !== 'id') throw new ConditionSyntaxError(`expected a field name after "." at column ${name.pos + 1}`, name.pos);
        n = { k: 'member', obj: n, name: name.text };
        continue;
      }
      const pos = tokens[i - 1].pos;
      const idx = ternary();
      expect(']');
      n = { k: 'index', obj: n, idx, pos };
    }
    return n;
  };
  const primary = (): Node => {
    const t = next();
    if (t.kind === 'num') return { k: 'num', v: Number(t.text) };
    if (t.kind === 'str') return { k: 'str', v: t.text.slice(1, -1).replace(/\\(.)/g, '$1') };
    if (t.kind === 'id') {
      if (t.text === 'true' || t.text === 'false') return { k: 'bool', v: t.text === 'true' };
      if (t.text === 'nil') return { k: 'nil' };
      if (peek().text === '(' && peek().kind === 'op') {
        next();
        const args: Node[] = [];
        while (peek().text !== ')') {
          args.push(ternary());
          if (peek().text !== ',') break;
          next();
        }
        expect(')');
        return { k: 'call', name: t.text, args, pos: t.pos };
      }
      return { k: 'id', name: t.text, pos: t.pos };
    }
    if (t.text === '(') {
      const inner = ternary();
      expect(')');
      return inner;
    }
    if (t.text === '{') {
      const body = ternary();
      expect('}');
      return { k: 'closure', body };
    }
    if (t.text === '#') return { k: 'pointer', pos: t.pos };
    throw new ConditionSyntaxError(t.kind === 'end' ? 'ends too early' : `unexpected ${JSON.stringify(t.text)} at column ${t.pos + 1}`, t.pos);
  };

  const root = ternary();
  const rest = peek();
  if (rest.kind !== 'end') throw new ConditionSyntaxError(`unexpected ${JSON.stringify(rest.text)} at column ${rest.pos + 1}${rest.text === ')' ? ' (unbalanced parentheses)' : ''}`, rest.pos);
  return root;
}

/** What a condition is checked against: the value type of its query, when known. */
export interface ConditionContext {
  /** `vector`: `result` is a list (possibly empty); `scalar`: a number. @default unknown (no type rules) */
  readonly resultType?: 'vector' | 'scalar';
}

interface ConditionProblems {
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
}

/** Results of `checkCondition`: a fleet's metrics share a handful of conditions. */
const checked = new Map<string, ConditionProblems>();

function problemsOf(src: string, ctx: ConditionContext): ConditionProblems {
  const key = `${ctx.resultType ?? ''}\0${src}`;
  let problems = checked.get(key);
  if (!problems) checked.set(key, problems = conditionProblems(src, ctx));
  return problems;
}

/** Problems of a condition at synth time: syntax, unknown names, `result[i]` on a scalar. */
export function checkCondition(src: string, ctx: ConditionContext = {}): string[] {
  return [...problemsOf(src, ctx).errors];
}

/**
 * What a condition does that is valid but may not be meant: `result[i]` on a vector without a length
 * guard before it. An empty result (no data) then errors the measurement, and after consecutiveErrorLimit
 * errors the analysis fails: the rollout aborts, so it fails closed, as the upstream docs' conditions do.
 */
export function conditionWarnings(src: string, ctx: ConditionContext = {}): string[] {
  return [...problemsOf(src, ctx).warnings];
}

const UNGUARDED = 'result[...] on a vector query has no length guard: an empty result (no data) errors the measurement, and after consecutiveErrorLimit (default 4) errors the rollout aborts (fail-closed). If that is not meant, write `len(result) == 0 || ...` (no data passes) or `len(result) > 0 && ...`';
const GUARD_LATE = 'the length guard comes after result[...]: expr evaluates left to right, so an empty result (no data) errors the measurement before the guard is read, and after consecutiveErrorLimit (default 4) errors the rollout aborts. Put the guard first: `len(result) > 0 && result[0] ...`';

function conditionProblems(src: string, ctx: ConditionContext): ConditionProblems {
  let root: Node;
  try {
    // The controller substitutes `{{args.x}}` before evaluating; a number stands in for it here.
    root = parseCondition(src.replace(PLACEHOLDER, '0'));
  } catch (e) {
    if (e instanceof ConditionSyntaxError) return { errors: [`does not parse: ${e.message}`], warnings: [] };
    throw e;
  }
  const problems: string[] = [];
  const warnings: string[] = [];
  // `late`: a length guard follows on the right of an enclosing `&&`/`||`, too late to protect this side.
  const walk = (n: Node, guarded: boolean, inClosure: boolean, late = false): void => {
    switch (n.k) {
      case 'id':
        if (n.name !== 'result') problems.push(`unknown name ${JSON.stringify(n.name)} (the controller provides only \`result\`)`);
        return;
      case 'pointer':
        if (!inClosure) problems.push('`#` is only valid inside a {...} predicate');
        return;
      case 'call':
        if (!FUNCTIONS.has(n.name)) problems.push(`unknown function ${JSON.stringify(n.name)}`);
        if (n.name === 'len' && ctx.resultType === 'scalar' && isResult(n.args[0])) problems.push('len(result) on a query that returns a scalar: compare `result` directly');
        n.args.forEach((a) => walk(a, guarded, inClosure || a.k === 'closure', late));
        return;
      case 'closure': walk(n.body, guarded, true, late); return;
      case 'member':
        if (isResult(n.obj) && ctx.resultType !== undefined) problems.push(`result.${n.name} on a Prometheus query: its result is a number or a list of numbers, which have no fields`);
        walk(n.obj, guarded, inClosure, late);
        return;
      case 'index':
        if (isResult(n.obj)) {
          if (ctx.resultType === 'scalar') problems.push('result[...] on a query that returns a scalar: compare `result` directly');
          else if (ctx.resultType === 'vector' && !guarded) warnings.push(late ? GUARD_LATE : UNGUARDED);
        } else {
          walk(n.obj, guarded, inClosure, late);
        }
        walk(n.idx, guarded, inClosure, late);
        return;
      case 'unary': walk(n.x, guarded, inClosure, late); return;
      case 'binary': {
        const logical = n.op === '&&' || n.op === '||';
        walk(n.l, guarded, inClosure, late || (logical && (mentionsLen(n.r, 'empty') || mentionsLen(n.r, 'nonEmpty'))));
        walk(n.r, guarded || (n.op === '||' && mentionsLen(n.l, 'empty')) || (n.op === '&&' && mentionsLen(n.l, 'nonEmpty')), inClosure, late);
        return;
      }
      case 'cond':
        walk(n.c, guarded, inClosure, late);
        walk(n.t, guarded || mentionsLen(n.c, 'nonEmpty'), inClosure, late);
        walk(n.f, guarded || mentionsLen(n.c, 'empty'), inClosure, late);
        return;
      default:
    }
  };
  walk(root, false, false);
  return { errors: [...new Set(problems)], warnings: [...new Set(warnings)] };
}

function isResult(n: Node | undefined): boolean {
  return n?.k === 'id' && n.name === 'result';
}

/** Whether `n` contains a comparison of `len(result)` that is true for an empty (or a non-empty) result. */
function mentionsLen(n: Node, when: 'empty' | 'nonEmpty'): boolean {
  if (n.k === 'binary') {
    const lenOf = (x: Node) => x.k === 'call' && x.name === 'len' && isResult(x.args[0]);
    if (lenOf(n.l) && n.r.k === 'num') {
      // An "empty" guard holds at length 0; a "non-empty" guard does not.
      if (compare(n.op, 0, n.r.v) === (when === 'empty')) return true;
    }
    return mentionsLen(n.l, when) || mentionsLen(n.r, when);
  }
  if (n.k === 'unary') return mentionsLen(n.x, when === 'empty' ? 'nonEmpty' : 'empty');
  return false;
}

function compare(op: string, a: number, b: number): boolean | undefined {
  switch (op) {
    case '==': return a === b;
    case '!=': return a !== b;
    case '<': return a < b;
    case '>': return a > b;
    case '<=': return a <= b;
    case '>=': return a >= b;
    default: return undefined;
  }
}

/** Evaluates a condition the way the controller does; throws on what would be an Error measurement. */
export function evaluateCondition(src: string, result: MetricResult): boolean {
  const value = evaluate(parseCondition(src), result, undefined);
  if (typeof value !== 'boolean') throw new Error(`condition ${JSON.stringify(src)} returned ${JSON.stringify(value)}, not a boolean`);
  return value;
}

type Value = number | string | boolean | null | readonly Value[] | Node;

function evaluate(n: Node, result: MetricResult, pointer: Value | undefined): Value {
  const ev = (x: Node) => evaluate(x, result, pointer);
  switch (n.k) {
    case 'num': case 'str': case 'bool': return n.v;
    case 'nil': return null;
    case 'id': return result;
    case 'pointer': return pointer ?? null;
    case 'closure': return n;
    case 'index': {
      const obj = ev(n.obj);
      const idx = ev(n.idx);
      if (!Array.isArray(obj)) throw new Error(`cannot index ${typeof obj}`);
      const i = Number(idx) < 0 ? obj.length + Number(idx) : Number(idx);
      if (i < 0 || i >= obj.length) throw new Error(`index out of range: ${JSON.stringify(idx)} (len ${obj.length})`);
      return obj[i] as Value;
    }
    case 'member': {
      const obj = ev(n.obj);
      if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw new Error(`cannot read field ${n.name} of ${JSON.stringify(obj)}`);
      return (obj as Record<string, Value>)[n.name] ?? null;
    }
    case 'unary': {
      const x = ev(n.x);
      return n.op === '!' ? !x : n.op === '-' ? -Number(x) : Number(x);
    }
    case 'binary': {
      if (n.op === '||') return Boolean(ev(n.l)) || Boolean(ev(n.r));
      if (n.op === '&&') return Boolean(ev(n.l)) && Boolean(ev(n.r));
      const l = ev(n.l);
      const r = ev(n.r);
      if (n.op === '==') return l === r;
      if (n.op === '!=') return l !== r;
      if (typeof l !== 'number' || typeof r !== 'number') throw new Error(`cannot apply ${n.op} to ${JSON.stringify(l)} and ${JSON.stringify(r)}`);
      switch (n.op) {
        case '+': return l + r;
        case '-': return l - r;
        case '*': return l * r;
        case '/': return l / r;
        case '%': return l % r;
        default: return compare(n.op, l, r)!;
      }
    }
    case 'cond': return ev(n.c) ? ev(n.t) : ev(n.f);
    case 'call': return call(n, result, ev);
  }
}

function call(n: Extract<Node, { k: 'call' }>, result: MetricResult, ev: (x: Node) => Value): Value {
  const args = n.args.map((a) => (a.k === 'closure' ? a : ev(a)));
  const list = () => {
    if (!Array.isArray(args[0])) throw new Error(`${n.name}() needs a list`);
    return args[0] as readonly Value[];
  };
  const predicate = (x: Value) => Boolean(evaluate((args[1] as Extract<Node, { k: 'closure' }>).body, result, x));
  switch (n.name) {
    case 'len': return Array.isArray(args[0]) || typeof args[0] === 'string' ? (args[0] as { length: number }).length : (() => { throw new Error(`len() of ${typeof args[0]}`); })();
    case 'isNaN': return Number.isNaN(args[0]);
    case 'isInf': return args[0] === Infinity || args[0] === -Infinity;
    case 'asFloat': case 'float': return Number(args[0]);
    case 'asInt': case 'int': return Math.trunc(Number(args[0]));
    case 'abs': return Math.abs(Number(args[0]));
    case 'all': return list().every(predicate);
    case 'any': return list().some(predicate);
    case 'none': return !list().some(predicate);
    default: throw new Error(`${n.name}() is not evaluated by canarykit's test harness`);
  }
}

/**
 * The phase of one measurement, following the controller's rules: without a failure condition a false
 * success condition fails; without a success condition a false failure condition succeeds; with both,
 * neither true is Inconclusive; an evaluation error is Error.
 */
export function measurementPhase(conditions: { successCondition?: string; failureCondition?: string }, result: MetricResult): Phase {
  try {
    let success = conditions.successCondition ? evaluateCondition(conditions.successCondition, result) : false;
    let failure = conditions.failureCondition ? evaluateCondition(conditions.failureCondition, result) : false;
    if (!conditions.successCondition && !conditions.failureCondition) return 'Successful';
    if (!conditions.failureCondition) failure = !success;
    if (!conditions.successCondition) success = !failure;
    if (failure) return 'Failed';
    return success ? 'Successful' : 'Inconclusive';
  } catch {
    return 'Error';
  }
}


/**
 * Conditions comparing the first element of a vector result with a threshold, with the policy for an
 * empty result spelled out: `fail` and `inconclusive` never read `result[0]` of an empty list, `pass`
 * succeeds on it. NaN (a 0/0 that escaped the query's guard) is never a success.
 */
export function thresholdConditions(op: '>=' | '<=', threshold: number, noData: NoDataPolicy): { successCondition: string; failureCondition?: string } {
  const t = formatNumber(threshold);
  const inverse = op === '>=' ? '<' : '>';
  switch (noData) {
    case 'pass': return { successCondition: `len(result) == 0 || (!isNaN(result[0]) && result[0] ${op} ${t})` };
    case 'fail': return { successCondition: `len(result) > 0 && !isNaN(result[0]) && result[0] ${op} ${t}` };
    case 'inconclusive': return {
      successCondition: `len(result) > 0 && !isNaN(result[0]) && result[0] ${op} ${t}`,
      failureCondition: `len(result) > 0 && (isNaN(result[0]) || result[0] ${inverse} ${t})`,
    };
  }
}

/** Numbers as PromQL and expr both read them, without exponent noise for ordinary thresholds. */
export function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(12)));
}
