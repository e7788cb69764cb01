import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** A fresh, empty directory under the OS temp dir; `label` shows in its name which test made it. */
export function tmp(label = 'test'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `canarykit-${label}-`));
}
