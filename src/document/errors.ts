import type { z } from 'zod';

/** One problem with a spec: where (`spec.steps[2].setWeight`) and what (`150 is not in 0..100`). */
export interface SpecIssue {
  readonly path: string;
  readonly message: string;
  /** Warnings are printed but do not stop synthesis. */
  readonly severity: 'error' | 'warning';
}

/** Thrown when a spec is invalid; carries every problem found, not just the first. */
export class SpecValidationError extends Error {
  constructor(public readonly issues: readonly SpecIssue[], public readonly source?: string) {
    super(issues.map((i) => formatIssue(i, source)).join('\n'));
    this.name = 'SpecValidationError';
  }
}

export function formatIssue(issue: SpecIssue, source?: string): string {
  const where = source ? `${source}: ` : '';
  const level = issue.severity === 'warning' ? 'warning: ' : '';
  return terminalSafe(`${where}${level}${issue.path ? `${issue.path}: ` : ''}${issue.message}`, false);
}

/**
 * Text from a spec or a file name made safe to print: a terminal would act on escape sequences (a name
 * with `\x1b]0;...` retitles the window, `\x1b[2K` erases the line), C1 controls and bidi overrides
 * (U+202E reverses what follows), and an issue is one line, so a newline in a name cannot forge another
 * issue. Each such character is written as a `\u` escape.
 */
export function terminalSafe(text: string, keepNewlines: boolean): string {
  return text.replace(keepNewlines ? UNSAFE_IN_LINES : UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const UNSAFE_IN_LINES = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function joinPath(base: string, segments: readonly PropertyKey[]): string {
  let out = base;
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (typeof s === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(s)) out += out ? `.${s}` : s;
    else out += `[${JSON.stringify(String(s))}]`;
  }
  return out;
}

/** Renders a value the way a user wrote it, short enough for one line. */
export function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  // As YAML spells them (`replicas: .inf`); JSON would say `null`.
  if (typeof value === 'number' && !Number.isFinite(value)) return Number.isNaN(value) ? '.nan' : value > 0 ? '.inf' : '-.inf';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * Fields as the Argo Rollouts docs spell them where canarykit has another name: a pasted `templateName:`
 * is told what to write instead of "unknown field" beside "name: is required".
 */
const UPSTREAM_FIELDS: Readonly<Record<string, { readonly field: string; readonly write: string }>> = {
  templateName: { field: 'name', write: 'write name: <template> (or just the template\'s name: templates: [<template>])' },
  clusterScope: { field: 'cluster', write: 'write cluster: true' },
};

/** Values as the Argo Rollouts docs write them where canarykit takes another form: what to write instead. */
function upstreamValue(path: readonly PropertyKey[], input: unknown): string | undefined {
  // Upstream's startingStep is an index; canarykit computes it from a step's name.
  if (path[path.length - 1] === 'startingStep' && typeof input === 'number') {
    return 'is a step index; here the step is named: give that step a `name` and write startingStep: <name> (canarykit computes the index, so inserting a step never shifts it)';
  }
  return undefined;
}

/** Issues with the upstream spellings explained, and the "required" they cause dropped. */
function upstreamSpellings(issues: SpecIssue[]): SpecIssue[] {
  const renamed = new Map<string, string>();
  const out = issues.map((i) => {
    const m = /^(.*)\.([A-Za-z]+)$/.exec(i.path);
    const known = m && i.message === 'unknown field' ? UPSTREAM_FIELDS[m[2]] : undefined;
    if (!m || !known) return i;
    renamed.set(`${m[1]}.${known.field}`, m[2]);
    return error(i.path, `is the Argo Rollouts spelling; canarykit calls it ${known.field}: ${known.write}`);
  });
  return out.filter((i) => !(i.message === 'is required' && renamed.has(i.path)));
}

/**
 * Flattens zod issues into spec issues. For unions it reports the branch that got furthest, so
 * `image: {repo: x}` says `unknown field repo` instead of "invalid input".
 */
export function fromZod(issues: readonly z.core.$ZodIssue[], base: string): SpecIssue[] {
  return upstreamSpellings(zodIssues(issues, base));
}

function zodIssues(issues: readonly z.core.$ZodIssue[], base: string): SpecIssue[] {
  const out: SpecIssue[] = [];
  for (const issue of issues) {
    const path = joinPath(base, issue.path);
    const input = (issue as { input?: unknown }).input;
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const key of issue.keys) out.push(error(joinPath(path, [key]), 'unknown field'));
        break;
      case 'invalid_union': {
        const branches = issue.errors;
        // A branch whose only complaint is the top-level type is the wrong branch, not the user's mistake.
        const relevant = branches.filter((b) => !(b.length === 1 && b[0].code === 'invalid_type' && b[0].path.length === 0));
        if (relevant.length === 0) {
          out.push(error(path, `${show(input)} is not ${unionTypes(branches)}`));
        } else {
          // Fewest complaints wins; on a tie, the branch that got deeper into the input (`root: {annotations: ...}`
          // is a Service with a bad annotation, not a wrong `false`).
          const depth = (b: readonly z.core.$ZodIssue[]) => Math.max(...b.map((i) => i.path.length));
          const best = relevant.reduce((a, b) => (b.length < a.length || (b.length === a.length && depth(b) > depth(a)) ? b : a));
          out.push(...zodIssues(best, path));
        }
        break;
      }
      case 'invalid_key': {
        // A map key is named in brackets whatever it looks like, and not repeated in the message.
        const key = issue.path[issue.path.length - 1];
        const at = `${joinPath(base, issue.path.slice(0, -1))}[${JSON.stringify(String(key))}]`;
        out.push(...issue.issues.map((i) => error(at, i.message)));
        break;
      }
      case 'invalid_type':
        out.push(error(path, input === undefined ? 'is required' : `${show(input)} ${upstreamValue(issue.path, input) ?? `is not ${article(issue.expected)}`}`));
        break;
      case 'custom':
        // A check of a whole object (exactly one strategy) marks itself `whole`: its value would be noise.
        out.push(error(path, input === undefined || issue.params?.whole === true ? issue.message : `${show(input)} ${issue.message}`));
        break;
      case 'invalid_value':
        out.push(error(path, `${show(input)} is not one of ${issue.values.map((v) => show(v)).join(', ')}`));
        break;
      default:
        out.push(error(path, input === undefined ? issue.message : `${show(input)} ${issue.message}`));
    }
  }
  return out;
}

function unionTypes(branches: readonly (readonly z.core.$ZodIssue[])[]): string {
  const expected = branches.map((b) => (b[0]?.code === 'invalid_type' ? b[0].expected : 'valid')).map(article);
  return [...new Set(expected)].join(' or ');
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

export function error(path: string, message: string): SpecIssue {
  return { path, message, severity: 'error' };
}

export function warning(path: string, message: string): SpecIssue {
  return { path, message, severity: 'warning' };
}
