/** Checks of text the controller parses or sends: URLs, header values, brackets and quotes. */
import { error, show, SpecIssue } from '../document/errors';
import { PLACEHOLDER } from '../document/patterns';

/** A character that ends an HTTP header line or that Go's client refuses; a tab is legal. */
export function hasControlCharacter(value: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /[\x00-\x08\x0a-\x1f\x7f]/.test(value);
}

export function httpUrl(url: string, path: string, shown = url): SpecIssue[] {
  // eslint-disable-next-line no-control-regex
  if (/[\s\x00-\x1f\x7f]/.test(url)) return [error(path, `${show(shown)} contains whitespace or a control character; percent-encode it`)];
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [error(path, `${show(shown)} is not a URL`)];
  }
  return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? [] : [error(path, `${show(shown)} is not an http:// or https:// URL`)];
}

/**
 * A URL the controller sends a request to after substituting `{{args.x}}` (args come first, so a host,
 * a port or the whole URL may be an arg, as upstream's `rollout-secret` example does with a Secret).
 * What is written around the placeholders is checked: a placeholder stands in for a value that fits
 * where it is; a URL that starts with one has its scheme from an arg, so only its characters are.
 */
export function templatedHttpUrl(url: string, path: string): SpecIssue[] {
  if (!url.includes('{{')) return httpUrl(url, path);
  const literal = url.replace(PLACEHOLDER, '');
  // eslint-disable-next-line no-control-regex
  if (/[\s\x00-\x1f\x7f]/.test(literal)) return [error(path, `${show(url)} contains whitespace or a control character; percent-encode it`)];
  if (url.search(PLACEHOLDER) === 0) return [];
  // A port after the host's ":" stands in as a number, anything else as a label (a host ending in a
  // number would read as an IPv4 address).
  const authorityEnd = url.indexOf('/', url.indexOf('://') + 3);
  const stand = url.replace(PLACEHOLDER, (_match: string, _tag: string, at: number) =>
    (url[at - 1] === ':' && (authorityEnd < 0 || at < authorityEnd) && at > url.indexOf('://') + 2 ? '1' : 'x'));
  return httpUrl(stand, path, url);
}

/**
 * The first structural problem of an expression (an expr condition, a JSONPath template): an unclosed
 * quote, a closing bracket without its opening one, or a bracket left open; undefined if there is none.
 * `pairs` lists the brackets as opening-closing pairs; quotes are skipped as the expr lexer skips them.
 */
export function unbalanced(text: string, options: { quotes?: boolean; pairs?: string } = {}): string | undefined {
  const pairs = options.pairs ?? '()[]{}';
  const stack: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (options.quotes && (ch === '"' || ch === "'" || ch === '`')) {
      let j = i + 1;
      while (j < text.length && text[j] !== ch) j += ch !== '`' && text[j] === '\\' ? 2 : 1;
      if (j >= text.length) return `has an unclosed ${ch} quote`;
      i = j;
      continue;
    }
    const at = pairs.indexOf(ch);
    if (at < 0) continue;
    if (at % 2 === 0) stack.push(ch);
    else if (stack.pop() !== pairs[at - 1]) return `has an unbalanced "${ch}"`;
  }
  return stack.length > 0 ? `has an unclosed "${stack[stack.length - 1]}"` : undefined;
}
