/**
 * Shared value rules: the regular expressions and ranges the Kubernetes API server and the Argo Rollouts
 * controller apply, so every layer (schema, semantic checks, targets) enforces the same thing.
 */

/** RFC 1123 label: Kubernetes object names for Services and most namespaced kinds. */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** RFC 1035 label: what a Service name must be (starts with a letter). */
export const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** RFC 1123 subdomain: hosts, Secret names. */
export const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** An Ingress host: a DNS subdomain, or one with a wildcard first label (`*.example.com`), as the API server takes it. */
export const INGRESS_HOST = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Label and annotation keys: optional DNS subdomain prefix, then a name of at most 63 characters. */
export const QUALIFIED_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
/** Longest name part of a label or annotation key (after the last `/`). */
export const MAX_KEY_NAME = 63;
/** Longest prefix of a label or annotation key (a DNS subdomain, before the last `/`). */
export const MAX_KEY_PREFIX = 253;

/** What the API server says of a label or annotation key's lengths: name part and prefix; none if both fit. */
export function labelKeyProblems(key: string): string[] {
  const slash = key.lastIndexOf('/');
  const prefix = slash < 0 ? '' : key.slice(0, slash);
  const name = key.slice(slash + 1);
  return [
    ...(name.length > MAX_KEY_NAME ? [`the name part of the key is ${name.length} characters, more than ${MAX_KEY_NAME}`] : []),
    ...(prefix.length > MAX_KEY_PREFIX ? [`the prefix of the key is ${prefix.length} characters, more than ${MAX_KEY_PREFIX}`] : []),
  ];
}
/** An HTTP header name (RFC 9110 token). */
export const HTTP_HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
/** Label values: empty, or alphanumeric at both ends with `-_.` inside, at most 63 characters. */
export const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
/** Environment variable names as kubelet accepts them (C identifier form, the portable subset). */
export const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
/** A Go `time.ParseDuration` string with the units the controller uses. */
export const GO_DURATION = /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/;
/**
 * Kubernetes quantity grammar (k8s.io/apimachinery resource.ParseQuantity): a signed decimal, then one
 * binary suffix, decimal exponent or decimal suffix. Groups: 1 number, 2 binary suffix, 3 exponent,
 * 4 decimal suffix.
 */
export const QUANTITY = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(?:(Ki|Mi|Gi|Ti|Pi|Ei)|([eE][+-]?[0-9]+)|(n|u|m|k|M|G|T|P|E))?$/;
const QUANTITY_SUFFIX: Record<string, number> = {
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
  n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
};

/** A quantity in base units (cores, bytes), or undefined when `text` is not one. */
export function parseQuantity(text: string): number | undefined {
  const m = QUANTITY.exec(text);
  if (!m) return undefined;
  const exp = m[3] ? 10 ** Number(m[3].slice(1)) : 1;
  return Number(m[1]) * exp * (QUANTITY_SUFFIX[m[2] ?? m[4] ?? ''] ?? 1);
}

/** A placeholder the controller substitutes in a metric: `{{` ... `}}` (fasttemplate); group 1 is the tag. */
export const PLACEHOLDER = /\{\{(.*?)\}\}/gs;
/** A well-formed `{{args.<name>}}` placeholder; group 1 is the arg name. */
export const ARG_PLACEHOLDER = /\{\{\s*args\.([A-Za-z0-9_.-]+)\s*\}\}/g;

/** Longest app name: `<app>-stable` and `<app>-canary` must stay DNS-1035 labels and pod names must fit. */
export const MAX_APP_NAME = 47;

/** Converts a Go duration to seconds (the rollout step/metric conditions reason in seconds). */
export function durationSeconds(value: string | number): number {
  if (typeof value === 'number') return value;
  if (/^[0-9]+$/.test(value)) return Number(value);
  const units: Record<string, number> = { ns: 1e-9, us: 1e-6, 'µs': 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
  let total = 0;
  for (const m of value.matchAll(/([0-9]+(?:\.[0-9]+)?)(ns|us|µs|ms|s|m|h)/g)) total += Number(m[1]) * units[m[2]];
  return total;
}
