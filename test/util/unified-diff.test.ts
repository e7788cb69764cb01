import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import fc from 'fast-check';
import { unifiedDiff } from '../../src/util/unified-diff';
import { tmp } from '../support/tmp';

describe('unifiedDiff', () => {
  test('the diff -u format: context, hunk ranges, absent files, a missing newline at the end', () => {
    expect(unifiedDiff('a\nb\nc\n', 'a\nB\nc\n', 'f')).toBe('--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n');
    expect(unifiedDiff(undefined, 'x\n', 'f')).toBe('--- /dev/null\n+++ b/f\n@@ -0,0 +1 @@\n+x\n');
    expect(unifiedDiff('x\n', undefined, 'f')).toBe('--- a/f\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n');
    expect(unifiedDiff('x', 'x\n', 'f')).toBe('--- a/f\n+++ b/f\n@@ -1 +1 @@\n-x\n\\ No newline at end of file\n+x\n');
    expect(unifiedDiff('same\n', 'same\n', 'f')).toBe('');
  });

  test('applied by the real patch(1), every diff of random texts gives the new text (fixed seed)', () => {
    const dir = tmp('diff');
    const text = fc.array(fc.constantFrom('a', 'b', 'c', 'd', ''), { maxLength: 40 }).chain((lines) => fc.boolean().map((eol) => lines.join('\n') + (eol && lines.length > 0 ? '\n' : '')));
    fc.assert(fc.property(text, text, (before, after) => {
      fs.writeFileSync(path.join(dir, 'f'), before);
      const diff = unifiedDiff(before, after, 'f');
      if (before === after) return diff === '';
      const result = spawnSync('patch', ['-s', '-p1', '-d', dir, '--no-backup-if-mismatch'], { input: diff, encoding: 'utf8' });
      return result.status === 0 && fs.readFileSync(path.join(dir, 'f'), 'utf8') === after;
    }), { seed: 21, numRuns: 100 });
  });
});
