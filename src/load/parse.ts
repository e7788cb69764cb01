/**
 * From untrusted input (a YAML document, an object from code) to a checked spec: schema first, then the
 * cross-field rules, all problems collected.
 */
import { API_VERSION, LIBRARY_KIND } from '../document/constants';
import type * as Library from '../document/library';
import type * as Schema from '../document/schema';
import { error, fromZod, joinPath, show, SpecIssue, SpecValidationError } from '../document/errors';
import { LIBRARY_RULES, REFERENCE_RULES, runRuleList, runRules } from '../rules/registry';
import { LibraryIndex, RuleContext } from '../rules/context';
import type { ResolvedApp, ResolvedLibrary } from '../model/model';
import { libraryAsAppSpec, resolveLibrary } from '../model/library';
import { sortedKeys } from '../util/sorted-keys';
import type { AnalysisLibraryDocument, AppMetadata, CanaryAppDocument, CanaryAppSpec } from '../document/types';

export interface ParseResult<T> {
  readonly value?: T;
  /** The resolved model of a valid document: the rules resolve it anyway, so nothing resolves it twice. */
  readonly model?: ResolvedApp;
  readonly issues: readonly SpecIssue[];
}

const PARSE_OPTIONS = { reportInput: true } as const;

let schemas: typeof Schema | undefined;
/**
 * The zod schemas, built on first use: building them is half of the CLI's start-up (docs/performance.md),
 * and a run that reuses every app from the memo (`synth --check` in CI) parses nothing.
 */
function schema(): typeof Schema {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a require() is what the bundle defers to its first call; an import runs at start-up
  return (schemas ??= require('../document/schema') as typeof Schema);
}

let librarySchemas: typeof Library | undefined;
/** The AnalysisLibrary schemas, built on first use as `schema()` is (they extend its schemas). */
function library(): typeof Library {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deferred as in `schema()`
  return (librarySchemas ??= require('../document/library') as typeof Library);
}

/**
 * Deepest nesting of a spec: the deepest field of the schema is about 12 levels down, a `jsonBody` adds
 * its own. Deeper input (2000 levels of `jsonBody`) would exhaust the stack of the recursive checks.
 */
export const MAX_DEPTH = 100;

/**
 * What the schema cannot say about untrusted input, checked before it runs: nesting beyond `MAX_DEPTH`,
 * an object that contains itself, values that are not plain data (a Pulumi Output, a Date, a function),
 * numbers that are not finite, and strings with a lone UTF-16 surrogate (no UTF-8 or YAML can carry one:
 * a YAML `"\ud800"` escape or a string from code). One issue per place, at most `limit` in all.
 */
export function inputIssues(input: unknown, base: string, limit = 20): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const onPath = new Set<object>();
  // The path is one stack, spelled out only for an issue: this visits every value of every document.
  const at: PropertyKey[] = [];
  const where = () => joinPath(base, at);
  const visit = (value: unknown, depth: number): void => {
    if (issues.length >= limit) return;
    if (typeof value === 'string') {
      if (SURROGATE.test(value) && LONE_SURROGATE.test(value)) issues.push(error(where(), `${show(value)} has a lone UTF-16 surrogate, which no YAML or UTF-8 file can carry`));
      return;
    }
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) issues.push(error(where(), `${show(value)} is not a finite number`));
      return;
    }
    if (value === null || typeof value === 'boolean' || value === undefined) return;
    if (typeof value !== 'object') {
      issues.push(error(where(), `is a ${typeof value}, not plain data`));
      return;
    }
    if (depth > MAX_DEPTH) {
      issues.push(error(where(), `nests more than ${MAX_DEPTH} levels deep`));
      return;
    }
    if (onPath.has(value)) {
      issues.push(error(where(), 'contains itself (a cycle): a spec is plain data, a tree'));
      return;
    }
    // Plain: made by a literal or JSON in any realm (structuredClone, a vm context), so its prototype is
    // some realm's Object.prototype, whose own prototype is null; a class instance has one more level.
    const proto = Object.getPrototypeOf(value) as object | null;
    if (!Array.isArray(value) && proto !== null && Object.getPrototypeOf(proto) !== null) {
      const kind = (value as { constructor?: { name?: string } }).constructor?.name || 'object';
      // A Pulumi Output is only known at deployment, but the spec is checked and turned into objects first.
      issues.push(error(where(), `is a ${kind}, not plain data (pass plain values: a Pulumi Output's value is not known when the spec is checked)`));
      return;
    }
    onPath.add(value);
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) { at.push(i); visit(value[i], depth + 1); at.pop(); }
    } else {
      for (const key of Object.keys(value)) {
        at.push(key);
        if (SURROGATE.test(key) && LONE_SURROGATE.test(key)) issues.push(error(where(), 'the key has a lone UTF-16 surrogate, which no YAML or UTF-8 file can carry'));
        visit((value as Record<string, unknown>)[key], depth + 1);
        at.pop();
      }
    }
    onPath.delete(value);
  };
  visit(input, 0);
  return issues;
}

/** Any surrogate: a cheap test first, as most strings have none. */
const SURROGATE = /[\ud800-\udfff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Checks a whole `kind: CanaryApp` document. */
export function parseDocument(input: unknown): ParseResult<CanaryAppDocument> {
  const unfit = inputIssues(input, '');
  if (unfit.length > 0) return { issues: unfit };
  const parsed = schema().documentSchema.safeParse(input, PARSE_OPTIONS);
  if (!parsed.success) return { issues: fromZod(parsed.error.issues, '') };
  // Rules see the canonical document, so the model they resolve is the one the targets build from.
  const document = canonical(parsed.data);
  const ctx = new RuleContext(document.metadata, document.spec, 'spec');
  const issues = runRules(ctx);
  return issues.some((i) => i.severity === 'error') ? { issues } : { value: document, model: ctx.model, issues };
}

/**
 * Checks a whole `kind: AnalysisLibrary` document: its templates get the rules an app's templates get,
 * with paths into the library (`spec.analysisTemplates[0]...`).
 */
export function parseLibrary(input: unknown): { readonly value?: AnalysisLibraryDocument; readonly model?: ResolvedLibrary; readonly issues: readonly SpecIssue[] } {
  const unfit = inputIssues(input, '');
  if (unfit.length > 0) return { issues: unfit };
  const parsed = library().libraryDocumentSchema.safeParse(input, PARSE_OPTIONS);
  if (!parsed.success) return { issues: fromZod(parsed.error.issues, '') };
  const document = canonical(parsed.data);
  const issues = runRuleList(LIBRARY_RULES, new RuleContext(document.metadata, libraryAsAppSpec(document.spec), 'spec'));
  return issues.some((i) => i.severity === 'error') ? { issues } : { value: document, model: resolveLibrary(document.metadata, document.spec), issues };
}

/** Checks an AnalysisLibrary given as metadata and spec (the Pulumi component); throws with every problem. */
export function checkLibrary(meta: unknown, spec: unknown): { document: AnalysisLibraryDocument; model: ResolvedLibrary; warnings: SpecIssue[] } {
  const { value, model, issues } = parseLibrary({ apiVersion: API_VERSION, kind: LIBRARY_KIND, metadata: meta, spec });
  if (!value) throw new SpecValidationError(issues.filter((i) => i.severity === 'error'));
  return { document: value, model: model!, warnings: issues.filter((i) => i.severity === 'warning') };
}

/** The issues of an app's references to the templates of `libraries` (rules REFERENCE_RULES). */
export function libraryReferenceIssues(document: CanaryAppDocument, libraries: LibraryIndex): SpecIssue[] {
  return runRuleList(REFERENCE_RULES, new RuleContext(document.metadata, document.spec, 'spec', libraries));
}

/**
 * Checks metadata and spec given separately (the construct API); throws with every problem. With
 * `libraries`, the app's references to their templates are checked too (REFERENCE_RULES).
 */
export function checkSpec(meta: unknown, spec: unknown, libraries?: LibraryIndex): { meta: AppMetadata; spec: CanaryAppSpec; model: ResolvedApp; warnings: SpecIssue[] } {
  const unfit = [...inputIssues(meta, 'metadata'), ...inputIssues(spec, 'spec')];
  if (unfit.length > 0) throw new SpecValidationError(unfit);
  const m = schema().metadataSchema.safeParse(meta, PARSE_OPTIONS);
  const s = schema().specSchema.safeParse(spec, PARSE_OPTIONS);
  const issues = [...(m.success ? [] : fromZod(m.error.issues, 'metadata')), ...(s.success ? [] : fromZod(s.error.issues, 'spec'))];
  if (!m.success || !s.success) throw new SpecValidationError(issues);
  const ctx = new RuleContext(canonical(m.data), canonical(s.data), 'spec');
  issues.push(...runRules(ctx));
  if (libraries && !issues.some((i) => i.severity === 'error')) issues.push(...runRuleList(REFERENCE_RULES, new RuleContext(ctx.meta, ctx.spec, 'spec', libraries)));
  const errors = issues.filter((i) => i.severity === 'error');
  if (errors.length > 0) throw new SpecValidationError(errors);
  return { meta: ctx.meta, spec: ctx.spec, model: ctx.model, warnings: issues.filter((i) => i.severity === 'warning') };
}

/**
 * The same spec with every object's keys sorted, so output never depends on the order keys were written
 * in (labels, annotations and other maps are emitted in their input order). Arrays keep their order.
 */
function canonical<T>(value: T): T {
  if (Array.isArray(value)) return value.map(canonical) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of sortedKeys(value)) out[key] = canonical((value as Record<string, unknown>)[key]);
  return out as T;
}
