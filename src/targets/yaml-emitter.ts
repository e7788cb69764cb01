/**
 * A small, deterministic YAML emitter for the JSON-shaped objects canarykit produces.
 *
 * General YAML libraries spend most of synth time building a document model; our objects are plain JSON
 * (maps, arrays, strings, numbers, booleans, null), so a direct writer is an order of magnitude faster.
 * Strings are quoted whenever any YAML 1.1 or 1.2 reader could take them for something else (kubectl
 * and Helm still use YAML 1.1 rules, where `yes`, `on` and `012` are not strings), and multi-line
 * strings become literal blocks so queries and scripts stay readable in review. Round-trip equality with
 * the `yaml` parser is tested on every example and on fuzzed objects.
 */

const INDENT = '  ';

/** Serializes one document (without the `---` separator), ending with a newline. */
export function toYaml(value: unknown): string {
  const out: string[] = [];
  if (isScalarOrEmpty(value)) {
    out.push(scalar(value, ''));
  } else {
    writeBlock(value, '', out);
  }
  return out.join('\n') + '\n';
}

/** Serializes documents separated by `---`. */
export function toYamlDocuments(values: readonly unknown[]): string {
  return values.map((v) => toYaml(v)).join('---\n');
}

function isScalarOrEmpty(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return true;
  return Array.isArray(v) ? v.length === 0 : Object.keys(v as object).length === 0;
}

/** Writes a non-empty map or array whose lines start at `indent`. */
function writeBlock(value: unknown, indent: string, out: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value) {
      if (isScalarOrEmpty(item)) {
        out.push(`${indent}- ${scalar(item, indent + INDENT)}`);
      } else {
        // The first line of a nested block shares the line with the dash.
        const start = out.length;
        writeBlock(item, indent + INDENT, out);
        out[start] = `${indent}- ${out[start].slice(indent.length + INDENT.length)}`;
      }
    }
    return;
  }
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined) continue;
    const k = key === '' || needsQuotes(key) ? JSON.stringify(key) : key;
    if (isScalarOrEmpty(v)) {
      out.push(`${indent}${k}: ${scalar(v, indent + INDENT)}`);
    } else {
      out.push(`${indent}${k}:`);
      writeBlock(v, Array.isArray(v) ? indent : indent + INDENT, out);
    }
  }
}

function scalar(v: unknown, indent: string): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return '[]';
  switch (typeof v) {
    case 'object':
      return '{}';
    case 'number':
      if (!Number.isFinite(v)) throw new Error(`cannot serialize ${v} to YAML`);
      return String(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'string':
      return stringScalar(v, indent);
    default:
      throw new Error(`cannot serialize a ${typeof v} to YAML`);
  }
}

function stringScalar(s: string, indent: string): string {
  if (s.includes('\n') && literalSafe(s)) {
    const chomp = s.endsWith('\n') ? (s.endsWith('\n\n') ? '+' : '') : '-';
    const body = s.endsWith('\n') ? s.slice(0, -1) : s;
    const lines = body.split('\n').map((line) => (line === '' ? '' : indent + line));
    return `|${chomp}\n${lines.join('\n')}`;
  }
  return needsQuotes(s) ? JSON.stringify(s) : s;
}

/**
 * A literal block keeps every character as is, but cannot carry control characters or a leading space
 * on its first line (that would need an indentation indicator), nor trailing spaces we'd want visible.
 */
function literalSafe(s: string): boolean {
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x08\x0b-\x1f\x7f\u0085\u2028\u2029\ufeff]/.test(s)) return false;
  if (/^[ \t]/.test(s) || /^\n/.test(s)) return false;
  return !/[ \t]\n|[ \t]$/.test(s);
}

const PLAIN = /^[A-Za-z0-9_/.$][A-Za-z0-9_/.$ ()+=@,;:'"-]*$/;
const RESERVED = /^(true|false|yes|no|on|off|y|n|null|~|[-+]?\.(inf|nan))$/i;
// YAML 1.1 reads even `.` and `.5.` as floats.
const NUMBERISH = /^[-+]?(\.?[0-9]|0[xob]|\.[0-9.]*([eE][-+][0-9]+)?$)/;
const DOCUMENT_MARKER = /^(---|\.\.\.)/;

/** True unless the string reads back as the same string under YAML 1.1 and 1.2 as a plain scalar. */
function needsQuotes(s: string): boolean {
  if (s === '' || !PLAIN.test(s) || RESERVED.test(s) || NUMBERISH.test(s) || DOCUMENT_MARKER.test(s)) return true;
  return s.endsWith(' ') || s.endsWith(':') || s.includes(': ') || s.includes(' #');
}
