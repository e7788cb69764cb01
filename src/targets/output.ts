/**
 * Safe output: everything is written to a temporary directory inside the target first and renamed into
 * place, so a failure leaves the previous output intact. A manifest lists the files canarykit wrote;
 * only those are ever replaced or deleted.
 */
import * as fs from 'fs';
import * as path from 'path';

export const MANIFEST = '.canarykit-manifest.json';

export interface WriteResult {
  readonly written: readonly string[];
  readonly removed: readonly string[];
}

export class OutputConflictError extends Error {}

/** Writes `files` (relative paths -> content) under `outDir`, replacing only files canarykit owns. */
export function writeOutput(outDir: string, files: ReadonlyMap<string, string>, options: { force?: boolean } = {}): WriteResult {
  fs.mkdirSync(outDir, { recursive: true });
  const owned = readManifest(outDir);
  const relPaths = [...files.keys()].sort();

  const conflicts = relPaths.filter((rel) => !owned.has(rel) && fs.existsSync(path.join(outDir, rel)));
  if (conflicts.length > 0 && !options.force) {
    throw new OutputConflictError(conflicts.map((rel) =>
      `${path.join(outDir, rel)}: exists and was not written by canarykit (not in ${MANIFEST}); move it away or pass --force`).join('\n'));
  }

  const tmp = fs.mkdtempSync(path.join(outDir, '.canarykit-tmp-'));
  try {
    const dirs = [...new Set(relPaths.map((rel) => path.dirname(rel)))].filter((d) => d !== '.');
    for (const dir of dirs) {
      fs.mkdirSync(path.join(tmp, dir), { recursive: true });
      fs.mkdirSync(path.join(outDir, dir), { recursive: true });
    }
    for (const rel of relPaths) fs.writeFileSync(path.join(tmp, rel), files.get(rel)!);
    for (const rel of relPaths) fs.renameSync(path.join(tmp, rel), path.join(outDir, rel));
    const removed = [...owned].filter((rel) => !files.has(rel)).sort();
    for (const rel of removed) {
      fs.rmSync(path.join(outDir, rel), { force: true });
      removeEmptyParents(outDir, path.dirname(rel));
    }
    const manifestTmp = path.join(tmp, MANIFEST);
    fs.writeFileSync(manifestTmp, JSON.stringify({ files: relPaths }, null, 2) + '\n');
    fs.renameSync(manifestTmp, path.join(outDir, MANIFEST));
    return { written: relPaths, removed };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function readManifest(outDir: string): Set<string> {
  const file = path.join(outDir, MANIFEST);
  if (!fs.existsSync(file)) return new Set();
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { files?: unknown };
  const list = Array.isArray(parsed.files) ? parsed.files : [];
  // A manifest is trusted only for plain relative paths inside the output directory.
  return new Set(list.filter((f): f is string => typeof f === 'string' && !path.isAbsolute(f) && !f.split(/[\\/]/).includes('..')));
}

function removeEmptyParents(root: string, rel: string): void {
  for (let dir = rel; dir !== '.' && dir !== ''; dir = path.dirname(dir)) {
    const full = path.join(root, dir);
    if (!fs.existsSync(full) || fs.readdirSync(full).length > 0) return;
    fs.rmdirSync(full);
  }
}
