/**
 * From untrusted input (a YAML document, an object from code) to a checked spec: schema first, then the
 * cross-field rules, all problems collected.
 */
import { documentSchema, metadataSchema, specSchema } from '../document/schema';
import { fromZod, SpecIssue, SpecValidationError } from '../document/errors';
import { validateSpec } from '../rules/registry';
import { sortedKeys } from '../util/sorted-keys';
import type { AppMetadata, CanaryAppDocument, CanaryAppSpec } from '../document/types';

export interface ParseResult<T> {
  readonly value?: T;
  readonly issues: readonly SpecIssue[];
}

const PARSE_OPTIONS = { reportInput: true } as const;

/** Checks a whole `kind: CanaryApp` document. */
export function parseDocument(input: unknown): ParseResult<CanaryAppDocument> {
  const parsed = documentSchema.safeParse(input, PARSE_OPTIONS);
  if (!parsed.success) return { issues: fromZod(parsed.error.issues, '') };
  const issues = validateSpec(parsed.data.metadata, parsed.data.spec, 'spec');
  return { value: issues.some((i) => i.severity === 'error') ? undefined : canonical(parsed.data), issues };
}

/** Checks metadata and spec given separately (the construct API); throws with every problem. */
export function checkSpec(meta: unknown, spec: unknown): { meta: AppMetadata; spec: CanaryAppSpec; warnings: SpecIssue[] } {
  const m = metadataSchema.safeParse(meta, PARSE_OPTIONS);
  const s = specSchema.safeParse(spec, PARSE_OPTIONS);
  const issues = [...(m.success ? [] : fromZod(m.error.issues, 'metadata')), ...(s.success ? [] : fromZod(s.error.issues, 'spec'))];
  if (m.success && s.success) issues.push(...validateSpec(m.data, s.data, 'spec'));
  const errors = issues.filter((i) => i.severity === 'error');
  if (errors.length > 0 || !m.success || !s.success) throw new SpecValidationError(errors);
  return { meta: canonical(m.data), spec: canonical(s.data), warnings: issues.filter((i) => i.severity === 'warning') };
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
