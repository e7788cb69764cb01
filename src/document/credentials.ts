/**
 * The one credential policy. Every place canarykit writes a header, a URL or an environment value into
 * files meant to be committed (metric headers and addresses, web URLs, event sinks, Job and app env,
 * Argo CD's repository URL) asks these functions, so a credential is recognised the same way everywhere:
 * by the name it is given (a header, a query parameter, an env var, an arg) or by its shape (`Bearer
 * <literal>`, `user:password@`). The right way is always a Secret reference: a template arg from
 * `valueFrom.secretKeyRef` placed as `{{args.<name>}}`, a `secretKeyRef` env var, or `sink.tokenSecretRef`.
 */
import { PLACEHOLDER } from './patterns';

/**
 * Words that make a name a credential's, wherever the name appears (header, query parameter, env var,
 * template arg): `Authorization`, `Proxy-Authorization`, `Cookie`, `PRIVATE-TOKEN`, `Api-Key`,
 * `X-Vault-Token`, `DB_PASSWORD`, `aws_secret_access_key`, `access_token`, `X-Amz-Signature`.
 */
const CREDENTIAL_WORD = /authoriz|cookie|passw(or)?d|secret|token|api[-_]?key|access[-_]?key|private[-_]?key|credential|signature/i;
/** Short names that are credentials on their own (`X-Auth`, `?key=`, `?sig=`, `DB_PASS`, `API_PWD`). */
const CREDENTIAL_PART = /(^|[-_.])(auth|key|sig|pass|pwd|apikey)$/i;

/** Whether a header, query parameter, env var or arg name names a credential. */
export function isCredentialName(name: string): boolean {
  return CREDENTIAL_WORD.test(name) || CREDENTIAL_PART.test(name);
}

/** HTTP authentication schemes written before a token (`Bearer abc`, `Basic dXNlcjpw`, `token ghp_...`). */
const SCHEMES = '(?:Bearer|Basic|Token|Digest|Bot|ApiKey|Api-Key|SSWS|Splunk|GenieKey|OAuth|Negotiate)';
/** A credential by its shape: a scheme, then a token. */
const AUTH_SCHEME = new RegExp(`^\\s*${SCHEMES}\\s+\\S`, 'i');

/** Where a header value comes from, as far as its credential is concerned. */
export type CredentialVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly why: string };

const OK: CredentialVerdict = { ok: true };

/** A placeholder's stand-in (private use: a literal one in user text is no credential either). */
const SLOT = '\uE000';

/**
 * Replaces the `{{args.<name>}}` placeholders of Secret-backed args with a slot, and reports the first
 * placeholder of an arg that is not Secret-backed (its value would be written in the manifests).
 */
function slotSecretArgs(value: string, secretArgs: ReadonlySet<string>): { readonly text: string; readonly plain?: string } {
  let plain: string | undefined;
  const text = value.replace(PLACEHOLDER, (match: string, tag: string) => {
    const arg = /^\s*args\.(.+?)\s*$/.exec(tag)?.[1];
    if (arg === undefined || !secretArgs.has(arg)) plain ??= match;
    return SLOT;
  });
  return { text, plain };
}

/**
 * A credential's value written right: nothing but Secret-backed placeholders, optionally after an
 * authentication scheme (`Bearer {{args.token}}`) or as cookie pairs (`sid={{args.sid}}; b={{args.b}}`).
 */
const SECRET_ONLY = new RegExp(`^\\s*(?:${SCHEMES}\\s+)?(?:[A-Za-z0-9!#$%&'*+.^_\`|~-]+=)?\uE000(?:\\s*;\\s*[A-Za-z0-9!#$%&'*+.^_\`|~-]+=\uE000)*\\s*$`, 'i');

/**
 * The verdict on a header: a credential header (by name) or a credential-shaped value (an auth scheme
 * before a token) must be made of Secret-backed `{{args.x}}` placeholders. Without args to offer (an
 * event sink), `secretArgs` is undefined and any credential is refused.
 */
export function headerCredential(name: string, value: string, secretArgs?: ReadonlySet<string>): CredentialVerdict {
  const byName = isCredentialName(name);
  if ((!byName && !AUTH_SCHEME.test(value)) || value.trim() === '') return OK;
  const what = byName ? `header ${JSON.stringify(name)} carries a credential` : `${JSON.stringify(name)} carries a credential (${value.trim().split(/\s/)[0]} scheme)`;
  if (!secretArgs) return { ok: false, why: what };
  const { text, plain } = slotSecretArgs(value, secretArgs);
  if (plain !== undefined) return { ok: false, why: `${what} from ${plain}, which is not a Secret-backed arg` };
  if (!text.includes(SLOT)) return { ok: false, why: `${what} inline` };
  if (!SECRET_ONLY.test(text)) return { ok: false, why: `${what} partly inline (text beside {{args...}} is written as is)` };
  return OK;
}

/** A URL's parts that carry credentials, found without parsing (placeholders and scp-like Git URLs included). */
function urlParts(url: string): { readonly scheme?: string; readonly userinfo?: string; readonly query: string } {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)/.exec(url);
  const authority = m?.[2] ?? /^([^/@:]+@)?[^/:]+:/.exec(url)?.[0] ?? '';
  const at = authority.lastIndexOf('@');
  const q = url.indexOf('?');
  return {
    scheme: m?.[1].toLowerCase(),
    userinfo: at < 0 ? undefined : authority.slice(0, at),
    query: q < 0 ? '' : url.slice(q + 1).split('#')[0],
  };
}

/**
 * The verdict on a URL: no `user:password@` (for http(s), no user either: `https://TOKEN@host` is how
 * Git hosts take tokens; an ssh `git@` user is not a secret), and no credential query parameter
 * (`?api_key=`, `&token=`) with a literal value. With `secretArgs`, parts made of Secret-backed
 * placeholders are fine: the value never reaches the manifests.
 */
export function urlCredential(url: string, secretArgs?: ReadonlySet<string>): CredentialVerdict {
  const { scheme, userinfo, query } = urlParts(url);
  // A part made only of Secret-backed placeholders (`{{args.user}}:{{args.password}}`) is a reference.
  const secret = (part: string) => {
    if (!secretArgs || !part.includes('{{')) return false;
    const { text, plain } = slotSecretArgs(part, secretArgs);
    return plain === undefined && /^[\uE000:]*$/.test(text);
  };
  if (userinfo !== undefined && !secret(userinfo)) {
    const password = userinfo.includes(':');
    if (password || scheme === 'http' || scheme === 'https') {
      return { ok: false, why: `has ${password ? 'a user and password' : 'a user name (a token, for most Git and HTTP hosts)'} before "@", written in plain text` };
    }
  }
  for (const pair of query.split(/[&;]/)) {
    const eq = pair.indexOf('=');
    if (eq < 0) continue;
    let name = pair.slice(0, eq);
    try {
      name = decodeURIComponent(name);
    } catch {
      // A malformed escape stays as written; the name is still checked.
    }
    const value = pair.slice(eq + 1);
    if (value !== '' && isCredentialName(name) && !secret(value)) {
      return { ok: false, why: `has the credential query parameter ${JSON.stringify(name)} in plain text` };
    }
  }
  return OK;
}

/** Every URL inside free text (a command line, an env value), for the URL verdict. */
export function urlsIn(text: string): string[] {
  return text.match(/[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s"'`<>]+/g) ?? [];
}

/** Whether free text (a Job argument) carries an HTTP credential header with a literal value. */
export function inlineHeaderIn(text: string, secretArgs: ReadonlySet<string>): string | undefined {
  const m = /^\s*([A-Za-z0-9!#$%&'*+.^_`|~-]+)\s*:\s*(.+)$/.exec(text);
  if (!m) return undefined;
  const verdict = headerCredential(m[1], m[2], secretArgs);
  // An env reference ($(TOKEN) expanded by the kubelet, ${TOKEN} by a shell) is how a Job passes a Secret.
  if (verdict.ok || /\$\(?\{?[A-Za-z_][A-Za-z0-9_]*\)?\}?/.test(m[2])) return undefined;
  return m[1];
}
