/** What every command shares: loading specs with every problem reported, and writing output safely. */
import { formatIssue } from '../document/errors';
import { loadSpecs, LoadedApp } from '../load/load';
import { OutputConflictError, writeOutput } from '../targets/output';

/** A failure the user can act on: printed without a stack trace, exit code 1. */
export class UserError extends Error {}

/** Every problem on its own line, then the count. */
export function issuesError(lines: readonly string[]): UserError {
  return new UserError(`${lines.join('\n')}\n${lines.length} error(s); nothing was written`);
}

/** Loads and checks specs; prints warnings; throws a UserError listing every error. */
export function loadOrFail(inputs: readonly string[]): LoadedApp[] {
  const { apps, issues } = loadSpecs(inputs);
  for (const w of issues.filter((i) => i.severity === 'warning')) process.stderr.write(`${formatIssue(w, w.source)}\n`);
  const errors = issues.filter((i) => i.severity === 'error');
  if (errors.length > 0) throw issuesError(errors.map((e) => formatIssue(e, e.source)));
  if (apps.length === 0) throw new UserError(`no CanaryApp documents found in ${inputs.join(', ')}`);
  return [...apps];
}

export function writeOrFail(outDir: string, files: Iterable<readonly [string, string]>, force: boolean): void {
  try {
    const result = writeOutput(outDir, files, { force });
    const removed = result.removed.length > 0 ? `, removed ${result.removed.length} stale file(s)` : '';
    process.stderr.write(`wrote ${result.written.length} file(s) to ${outDir}${removed}\n`);
  } catch (e) {
    if (e instanceof OutputConflictError) throw new UserError(e.message);
    throw e;
  }
}
