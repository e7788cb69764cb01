/** The CLI run in-process (src/cli/main.ts `run`), as a user would see it: exit code, stdout and stderr. */
import { run } from '../../src/cli/main';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `canarykit <args>` in this process, capturing what it writes. */
export function runCli(...args: string[]): CliResult {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: any) => { stdout += String(chunk); return true; });
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => { stderr += String(chunk); return true; });
  try {
    const code = run(args);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

/** The same, run from the directory `cwd` (for relative paths such as argocd's --out). */
export function runCliIn(cwd: string, ...args: string[]): CliResult {
  const before = process.cwd();
  process.chdir(cwd);
  try {
    return runCli(...args);
  } finally {
    process.chdir(before);
  }
}
