/**
 * A unified diff of two texts (`diff -u` format, applicable with `patch -p1`), for `--check`: what a run
 * would change, shown as a reviewer reads it. Myers' O(ND) algorithm after stripping the common head and
 * tail; beyond MAX_EDITS edits the texts are shown as wholly replaced, which keeps memory bounded.
 */

const MAX_EDITS = 4000;
const CONTEXT = 3;

type Op = readonly [' ' | '-' | '+', string];

/** `undefined` is an absent file (`/dev/null`); the empty string when the texts are equal. */
export function unifiedDiff(before: string | undefined, after: string | undefined, file: string): string {
  if (before === after) return '';
  const a = lines(before ?? '');
  const b = lines(after ?? '');
  const ops = diffLines(a, b);
  const header = `--- ${before === undefined ? '/dev/null' : `a/${file}`}\n+++ ${after === undefined ? '/dev/null' : `b/${file}`}\n`;
  return header + hunks(ops);
}

/** Lines with their newline, so a missing newline at the end shows as a difference. */
function lines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

function diffLines(a: readonly string[], b: readonly string[]): Op[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const middle = myers(a.slice(head, a.length - tail), b.slice(head, b.length - tail));
  return [...a.slice(0, head).map((l): Op => [' ', l]), ...middle, ...a.slice(a.length - tail).map((l): Op => [' ', l])];
}

function myers(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, MAX_EDITS);
  const off = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[k - 1 + off] < v[k + 1 + off]) ? v[k + 1 + off] : v[k - 1 + off] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[k + off] = x;
      if (x >= n && y >= m) return backtrack(trace, a, b, off);
    }
  }
  return [...a.map((l): Op => ['-', l]), ...b.map((l): Op => ['+', l])];
}

function backtrack(trace: readonly Int32Array[], a: readonly string[], b: readonly string[], off: number): Op[] {
  const ops: Op[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = trace.length - 1; d >= 0; d--) {
    const v = trace[d];
    const k = x - y;
    const prevK = k === -d || (k !== d && v[k - 1 + off] < v[k + 1 + off]) ? k + 1 : k - 1;
    const prevX = v[prevK + off];
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push([' ', a[--x]]);
      y--;
    }
    if (d > 0) {
      if (x === prevX) ops.push(['+', b[prevY]]);
      else ops.push(['-', a[prevX]]);
    }
    x = prevX;
    y = prevY;
  }
  return ops.reverse();
}

function hunks(ops: readonly Op[]): string {
  let out = '';
  let i = 0;
  const lineA = [0];
  const lineB = [0];
  for (const [kind] of ops) {
    lineA.push(lineA[lineA.length - 1] + (kind === '+' ? 0 : 1));
    lineB.push(lineB[lineB.length - 1] + (kind === '-' ? 0 : 1));
  }
  while (i < ops.length) {
    while (i < ops.length && ops[i][0] === ' ') i++;
    if (i === ops.length) break;
    const start = Math.max(0, i - CONTEXT);
    let end = i;
    // A hunk runs on while the next change is within two contexts of the last.
    for (let j = i; j < ops.length && j < end + 2 * CONTEXT + 1; j++) if (ops[j][0] !== ' ') end = j + 1;
    const stop = Math.min(ops.length, end + CONTEXT);
    const countA = lineA[stop] - lineA[start];
    const countB = lineB[stop] - lineB[start];
    const at = (first: number, count: number) => `${count === 0 ? first : first + 1}${count === 1 ? '' : `,${count}`}`;
    out += `@@ -${at(lineA[start], countA)} +${at(lineB[start], countB)} @@\n`;
    for (let j = start; j < stop; j++) {
      const [kind, text] = ops[j];
      out += text.endsWith('\n') ? `${kind}${text}` : `${kind}${text}\n\\ No newline at end of file\n`;
    }
    i = stop;
  }
  return out;
}
