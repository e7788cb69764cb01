/** What every command shares: loading specs with every problem reported, and writing output safely. */
import { formatIssue } from '../document/errors';
import { loadSpecs, LoadedApp, LoadedLibrary, LoadIssue } from '../load/load';
import { diffOutput, OutputError, OutputFile, writeOutput } from '../targets/output';

/** A failure the user can act on: printed without a stack trace, exit code 1. */
export class UserError extends Error {}

/** Every problem on its own line, then the count. */
export function issuesError(lines: readonly string[]): UserError {
  return new UserError(`${lines.join('\n')}\n${lines.length} error(s); nothing was written`);
}

/** Loads and checks specs; prints warnings; throws a UserError listing every error. */
export function loadOrFail(inputs: readonly string[]): LoadedApp[] {
  return [...loadAllOrFail(inputs).apps];
}

/** Loads and checks specs and the AnalysisLibraries beside them; as `loadOrFail`. */
export function loadAllOrFail(inputs: readonly string[]): { apps: readonly LoadedApp[]; libraries: readonly LoadedLibrary[] } {
  const { apps, libraries, issues } = loadSpecs(inputs);
  reportIssues(issues, apps.length + libraries.length, inputs);
  return { apps, libraries };
}

/** Prints the warnings; throws a UserError listing every error, or saying there was no document at all. */
export function reportIssues(issues: readonly LoadIssue[], apps: number, inputs: readonly string[]): void {
  for (const w of issues.filter((i) => i.severity === 'warning')) process.stderr.write(`${formatIssue(w, w.source)}\n`);
  const errors = issues.filter((i) => i.severity === 'error');
  if (errors.length > 0) throw issuesError(errors.map((e) => formatIssue(e, e.source)));
  if (apps === 0) throw new UserError(`no CanaryApp (or AnalysisLibrary) documents found in ${inputs.join(', ')}`);
}

export interface WriteFlags {
  /** Overwrite files canarykit did not write. */
  readonly force: boolean;
  /** Write nothing; fail with a unified diff of what writing would change. */
  readonly check?: boolean;
}

/** Writes (or with --check compares) the output; true when the directory now holds it. */
export function writeOrFail(outDir: string, files: Iterable<OutputFile>, flags: WriteFlags): boolean {
  try {
    if (flags.check) {
      const diff = diffOutput(outDir, files, { force: flags.force });
      if (diff === '') {
        process.stderr.write(`${outDir} is up to date\n`);
        return true;
      }
      process.stdout.write(diff);
      const changed = diff.match(/^\+\+\+ /gm)?.length ?? 0;
      throw new UserError(`${outDir} is not up to date: ${changed} file(s) would change (the diff above); run the command without --check`);
    }
    const result = writeOutput(outDir, files, { force: flags.force });
    for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`);
    const removed = result.removed.length > 0 ? `, removed ${result.removed.length} stale file(s)` : '';
    process.stderr.write(`wrote ${result.written.length} file(s) to ${outDir}${removed}\n`);
    return true;
  } catch (e) {
    if (e instanceof OutputError) throw new UserError(e.message);
    throw e;
  }
}

/** The `--check` flag of the commands that write a directory. */
export const CHECK_FLAG = ['--check', 'write nothing; exit 1 with a unified diff when the output directory is not what this run would write (for CI and pre-commit)'] as const;
