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
  return isScalarOrEmpty(value) ? `${scalar(value, '')}\n` : block(value, '', '');
}

/** Serializes documents separated by `---`. */
export function toYamlDocuments(values: readonly unknown[]): string {
  let out = '';
  for (let i = 0; i < values.length; i++) out += (i > 0 ? '---\n' : '') + toYaml(values[i]);
  return out;
}

function isScalarOrEmpty(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return true;
  if (Array.isArray(v)) return v.length === 0;
  for (const _ in v) return false;
  return true;
}

/**
 * Lines of a non-empty map or array at `indent`, each ending with a newline. `lead` replaces the indent
 * of the first line: a map or array nested in an array starts on the line of its dash.
 */
function block(value: unknown, indent: string, lead: string): string {
  let out = '';
  let prefix = lead;
  if (Array.isArray(value)) {
    const inner = indent + INDENT;
    for (const item of value) {
      out += isScalarOrEmpty(item) ? `${prefix}- ${scalar(item, inner)}\n` : block(item, inner, `${prefix}- `);
      prefix = indent;
    }
    return out;
  }
  const map = value as Record<string, unknown>;
  for (const key in map) {
    const v = map[key];
    if (v === undefined) continue;
    const k = yamlKey(key);
    if (isScalarOrEmpty(v)) {
      out += `${prefix}${k}: ${scalar(v, indent + INDENT)}\n`;
    } else {
      // Items of a list under a key sit at the key's indent; a nested map is indented.
      const inner = Array.isArray(v) ? indent : indent + INDENT;
      out += `${prefix}${k}:\n${block(v, inner, inner)}`;
    }
    prefix = indent;
  }
  return out;
}

/** Map keys repeat across every object of a kind, so each is checked once per process. */
const keys = new Map<string, string>();

/** A map key as it is written: plain when it reads back as the same string, else quoted. */
export function yamlKey(key: string): string {
  let k = keys.get(key);
  if (k === undefined) {
    k = needsQuotes(key) ? quoted(key) : key;
    keys.set(key, k);
  }
  return k;
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
  return needsQuotes(s) ? quoted(s) : s;
}

/**
 * Characters a YAML reader does not take literally from the stream: Go's YAML parser (kubectl, helm)
 * refuses DEL, C1 controls, U+FEFF inside a document and the non-characters U+FFFE/U+FFFF ("control
 * characters are not allowed"), and folds NEL, U+2028 and U+2029 as line breaks. In a double-quoted
 * string each is written as a `\u` escape, which every YAML reader decodes. JSON.stringify already
 * escapes C0 controls, quotes and backslashes.
 */
 
const ESCAPED = /[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/;
const ESCAPED_ALL = new RegExp(ESCAPED.source, 'g');
/** A lone UTF-16 surrogate: no YAML (or UTF-8) can carry it; the loader refuses such input. */
/** Any surrogate: a cheap test first, as most strings have none. */
const SURROGATE = /[\ud800-\udfff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function quoted(s: string): string {
  if (SURROGATE.test(s) && LONE_SURROGATE.test(s)) throw new Error(`cannot serialize a string with a lone UTF-16 surrogate to YAML: ${JSON.stringify(s)}`);
  const json = JSON.stringify(s);
  return ESCAPED.test(json) ? json.replace(ESCAPED_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : json;
}

/**
 * A literal block keeps every character as is, but cannot carry control characters or a leading space
 * on its first line (that would need an indentation indicator), nor trailing spaces we'd want visible.
 */
function literalSafe(s: string): boolean {
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x08\x0b-\x1f]/.test(s) || ESCAPED.test(s)) return false;
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
