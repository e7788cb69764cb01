/**
 * Label-matcher regexes as Prometheus compiles them: Go's RE2 (`regexp/syntax`), fully anchored. RE2 has
 * no lookaround, backreferences or atomic groups, caps repeat counts at 1000 and refuses escapes it does not
 * know; JavaScript's engine accepts some of those and lacks some RE2 syntax (`(?i)`, `\Q...\E`, `[[:alpha:]]`),
 * so a pattern is scanned for what RE2 refuses, then its RE2-only syntax is rewritten and JavaScript
 * compiles what is left. The differential test (test/analysis/promql-differential.test.ts) holds it to promtool.
 */

/** Escapes RE2 knows after a backslash, besides ASCII punctuation (which is always literal). */
const RE2_ESCAPES = new Set('aftnrvxAbBzdDsSwWpPQE01234567');
const MAX_REPEAT = 1000;

/** Why RE2 refuses `pattern`, or undefined if it compiles. */
export function re2Problem(pattern: string): string | undefined {
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next === undefined) return 'ends with a lone backslash';
      if (next === 'Q' && !inClass) {
        const end = pattern.indexOf('\\E', i + 2);
        i = end < 0 ? pattern.length : end + 1;
        continue;
      }
      if (/[1-9]/.test(next) && !/[0-7]/.test(pattern[i + 2] ?? '')) return `\\${next} is a backreference, which RE2 does not support`;
      if (/[A-Za-z0-9]/.test(next) ? !RE2_ESCAPES.has(next) : next.charCodeAt(0) > 0x7f) return `\\${next} is an escape RE2 does not know`;
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      else if (c === '[' && pattern[i + 1] === ':') {
        const end = pattern.indexOf(':]', i + 2);
        if (end > 0) i = end + 1;
      }
      continue;
    }
    if (c === '[') {
      inClass = true;
      // A `]` right after `[` or `[^` is a literal member.
      if (pattern[i + 1] === '^') i++;
      if (pattern[i + 1] === ']') i++;
      continue;
    }
    if (c === '(' && pattern[i + 1] === '?') {
      const rest = pattern.slice(i + 2);
      if (/^P?<[A-Za-z_][A-Za-z0-9_]*>/.test(rest)) {
        if (!rest.startsWith('P')) return '(?<name> is not RE2 syntax here; write (?P<name>...)';
        continue;
      }
      if (!/^[imsU-]*[:)]/.test(rest)) return `(?${rest[0] ?? ''} is lookaround or another construct RE2 does not support`;
      continue;
    }
    if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
      if (m && (Number(m[1]) > MAX_REPEAT || (m[3] !== undefined && m[3] !== '' && Number(m[3]) > MAX_REPEAT))) return `${m[0]} repeats more than ${MAX_REPEAT} times, RE2's limit`;
    }
  }
  try {
    new RegExp(`^(?:${jsEquivalent(pattern)})$`);
  } catch (e) {
    return `does not compile: ${(e as Error).message.replace(/^Invalid regular expression: \/.*\/: /, '')}`;
  }
  return undefined;
}

/** RE2-only syntax rewritten into JavaScript with the same structure (what it matches does not matter here). */
function jsEquivalent(pattern: string): string {
  return pattern
    .replace(/\\Q([\s\S]*?)(\\E|$)/g, (_m, text: string) => text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&'))
    .replace(/\(\?[imsU-]*\)/g, '')
    .replace(/\(\?[imsU-]*:/g, '(?:')
    .replace(/\(\?P<[A-Za-z_][A-Za-z0-9_]*>/g, '(')
    .replace(/\[:\^?[a-z]+:\]/g, 'a')
    .replace(/\\[pP](\{[^}]*\}|[A-Za-z])/g, 'a')
    .replace(/\\x\{[0-9A-Fa-f]+\}/g, 'a')
    .replace(/\\[Az]/g, '');
}
