/**
 * From untrusted input (a YAML document, an object from code) to a checked spec: schema first, then the
 * cross-field rules, all problems collected.
 */
import { documentSchema, metadataSchema, specSchema } from '../document/schema';
import { fromZod, SpecIssue, SpecValidationError } from '../document/errors';
import { runRules } from '../rules/registry';
import { RuleContext } from '../rules/context';
import type { ResolvedApp } from '../model/model';
import { sortedKeys } from '../util/sorted-keys';
import type { AppMetadata, CanaryAppDocument, CanaryAppSpec } from '../document/types';

export interface ParseResult<T> {
  readonly value?: T;
  /** The resolved model of a valid document: the rules resolve it anyway, so nothing resolves it twice. */
  readonly model?: ResolvedApp;
  readonly issues: readonly SpecIssue[];
}

const PARSE_OPTIONS = { reportInput: true } as const;

/** Checks a whole `kind: CanaryApp` document. */
export function parseDocument(input: unknown): ParseResult<CanaryAppDocument> {
  const parsed = documentSchema.safeParse(input, PARSE_OPTIONS);
  if (!parsed.success) return { issues: fromZod(parsed.error.issues, '') };
  // Rules see the canonical document, so the model they resolve is the one the targets build from.
  const document = canonical(parsed.data);
  const ctx = new RuleContext(document.metadata, document.spec, 'spec');
  const issues = runRules(ctx);
  return issues.some((i) => i.severity === 'error') ? { issues } : { value: document, model: ctx.model, issues };
}

/** Checks metadata and spec given separately (the construct API); throws with every problem. */
export function checkSpec(meta: unknown, spec: unknown): { meta: AppMetadata; spec: CanaryAppSpec; model: ResolvedApp; warnings: SpecIssue[] } {
  const m = metadataSchema.safeParse(meta, PARSE_OPTIONS);
  const s = specSchema.safeParse(spec, PARSE_OPTIONS);
  const issues = [...(m.success ? [] : fromZod(m.error.issues, 'metadata')), ...(s.success ? [] : fromZod(s.error.issues, 'spec'))];
  if (!m.success || !s.success) throw new SpecValidationError(issues);
  const ctx = new RuleContext(canonical(m.data), canonical(s.data), 'spec');
  issues.push(...runRules(ctx));
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
