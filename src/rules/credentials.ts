/**
 * Secrets never in plain text: every header, URL, command line and env value the spec writes into the
 * manifests goes through the one credential policy (`document/credentials.ts`). What is surely a
 * credential (a credential header, an auth scheme before a literal token, `user:password@` or
 * `?api_key=` in a URL) is refused; what only a name suggests (an env var `DB_PASSWORD`, a `--token=`
 * flag) is a warning. Each message names the Secret reference that does it right.
 */
import type * as t from '../document/types';
import { BUILTIN_KINDS } from '../analysis/metrics';
import { error, joinPath, SpecIssue, warning } from '../document/errors';
import { headerCredential, inlineHeaderIn, isCredentialName, urlCredential, urlsIn } from '../document/credentials';
import type { Rule, RuleContext } from './context';
import { hasControlCharacter } from './text';

const ARG_WAY = 'use {{args.<name>}} with a template arg from valueFrom.secretKeyRef (e.g. value: "Bearer {{args.token}}")';
const URL_ARG_WAY = 'send it in a header from a Secret-backed arg, or make the whole URL one (url: "{{args.url}}" with valueFrom.secretKeyRef)';
const ADDRESS_WAY = 'send it in the metric\'s headers from a Secret-backed arg (e.g. Authorization: "Basic {{args.prom-auth}}")';
const SINK_WAY = 'use sink.tokenSecretRef (tokenHeader and tokenPrefix say how it is sent)';
const BODY_WAY = 'use a template arg from valueFrom.secretKeyRef as the value (e.g. "{{args.token}}")';
const ENV_WAY = 'use valueFrom.secretKeyRef';
const ARG_SECRET_WAY = 'declare the template arg with valueFrom.secretKeyRef and keep the URL in that Secret';
const COMMAND_WAY = 'pass it as an env var from valueFrom.secretKeyRef and write $(NAME) in the argument';

/** A template's args that come from a Secret: their values never reach the manifests. */
function secretArgs(template: t.AnalysisTemplateSpec): ReadonlySet<string> {
  return new Set((template.args ?? []).filter((a) => a.valueFrom?.secretKeyRef).map((a) => a.name));
}

/** Every metric of the written templates, with its path and its template's Secret-backed args. */
function* metrics(ctx: RuleContext): Generator<{ metric: t.MetricSpec; path: string; secrets: ReadonlySet<string> }> {
  for (const [ti, template] of (ctx.spec.analysisTemplates ?? []).entries()) {
    const secrets = secretArgs(template);
    for (const [mi, metric] of template.metrics.entries()) yield { metric, path: ctx.path(`analysisTemplates[${ti}].metrics[${mi}]`), secrets };
  }
}

// Every provider that sends Prometheus headers and an address: the built-ins (vs-stable ones included) too.
const ADDRESS_PROVIDERS = ['prometheus', ...BUILTIN_KINDS] as const;
const HEADER_PROVIDERS = [...ADDRESS_PROVIDERS, 'web'] as const;

/** The URLs and credential headers in a command line (the app's or a Job's), and its credential flags. */
function commandLine(words: readonly string[] | undefined, path: string, secrets: ReadonlySet<string>): SpecIssue[] {
  const issues: SpecIssue[] = [];
  (words ?? []).forEach((word, i) => {
    for (const url of urlsIn(word)) {
      const verdict = urlCredential(url, secrets);
      if (!verdict.ok) issues.push(error(`${path}[${i}]`, `a URL ${verdict.why}; ${COMMAND_WAY}`));
    }
    const header = inlineHeaderIn(word, secrets);
    if (header !== undefined) issues.push(error(`${path}[${i}]`, `sets header ${JSON.stringify(header)} with a credential inline; ${COMMAND_WAY}`));
    const flag = /^--?([A-Za-z][A-Za-z0-9_.-]*)=(.+)$/.exec(word);
    // A file path or an env reference is how a credential flag is given right.
    if (flag && isCredentialName(flag[1]) && !/^(\/|\$\(|\$\{|\{\{)/.test(flag[2])) {
      issues.push(warning(`${path}[${i}]`, `flag --${flag[1]} looks like a credential written inline; ${COMMAND_WAY}`));
    }
  });
  return issues;
}

/**
 * Credential-named keys of a JSON request body with a literal value: `jsonBody: {api_key: s3cret}` is as
 * plain as a header. Values that are Secret-backed placeholders are the way.
 */
function* jsonBodyCredentials(value: unknown, path: string, secrets: ReadonlySet<string>): Generator<SpecIssue> {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) yield* jsonBodyCredentials(v, `${path}[${i}]`, secrets);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const at = joinPath(path, [k]);
      if (typeof v === 'string' && v !== '' && isCredentialName(k) && !headerCredential(k, v, secrets).ok) {
        yield error(at, `${JSON.stringify(k)} carries a credential inline; ${BODY_WAY}`);
      } else {
        yield* jsonBodyCredentials(v, at, secrets);
      }
    }
  }
}

/** An env list: literal values of credential-named vars (warning), URLs with credentials in any value. */
function envValues(env: readonly t.EnvVar[] | undefined, path: string): SpecIssue[] {
  const issues: SpecIssue[] = [];
  (env ?? []).forEach((e, i) => {
    if (e.value === undefined) return;
    for (const url of urlsIn(e.value)) {
      const verdict = urlCredential(url);
      if (!verdict.ok) issues.push(error(`${path}[${i}].value`, `a URL ${verdict.why}; keep the URL in a Secret and ${ENV_WAY}`));
    }
    if (e.value !== '' && isCredentialName(e.name)) {
      issues.push(warning(`${path}[${i}].value`, `${JSON.stringify(e.name)} looks like a credential written in plain text; ${ENV_WAY}`));
    }
  });
  return issues;
}

export const credentialRules: readonly Rule[] = [
  {
    name: 'credential-headers',
    *check(ctx) {
      for (const { metric, path, secrets } of metrics(ctx)) {
        for (const kind of HEADER_PROVIDERS) {
          for (const [i, h] of (metric.provider[kind]?.headers ?? []).entries()) {
            const verdict = headerCredential(h.key, h.value, secrets);
            if (!verdict.ok) yield error(`${path}.provider.${kind}.headers[${i}].value`, `${verdict.why}; ${ARG_WAY}`);
          }
        }
        yield* jsonBodyCredentials(metric.provider.web?.jsonBody, `${path}.provider.web.jsonBody`, secrets);
      }
      const sink = ctx.spec.events?.sink;
      if (!sink) return;
      for (const [i, h] of (sink.headers ?? []).entries()) {
        const verdict = headerCredential(h.key, h.value);
        if (!verdict.ok) yield error(ctx.path(`events.sink.headers[${i}]`), `${verdict.why}; ${SINK_WAY}`);
      }
      // Payload fields are sent with every event, and written in the template like headers.
      for (const [k, v] of Object.entries(sink.fields ?? {})) {
        if (v !== '' && isCredentialName(k)) yield error(joinPath(ctx.path('events.sink.fields'), [k]), `${JSON.stringify(k)} looks like a credential written in plain text; ${SINK_WAY}`);
      }
      // The prefix is written before the token in one header line: a newline in it starts another header.
      if (sink.tokenPrefix !== undefined && hasControlCharacter(sink.tokenPrefix)) {
        yield error(ctx.path('events.sink.tokenPrefix'), 'contains a control character (newline?): it would add another request header; write a scheme such as "Bearer "');
      }
    },
  },
  {
    name: 'credential-urls',
    *check(ctx) {
      const { spec, path } = ctx;
      const check = function* (url: string | undefined, at: string, way: string, secrets?: ReadonlySet<string>) {
        if (url === undefined) return;
        const verdict = urlCredential(url, secrets);
        if (!verdict.ok) yield error(at, `${verdict.why}; ${way}`);
      };
      yield* check(spec.prometheus?.address, path('prometheus.address'), ADDRESS_WAY);
      for (const { metric, path: mp, secrets } of metrics(ctx)) {
        for (const kind of ADDRESS_PROVIDERS) yield* check(metric.provider[kind]?.address, `${mp}.provider.${kind}.address`, ADDRESS_WAY, secrets);
        yield* check(metric.provider.web?.url, `${mp}.provider.web.url`, URL_ARG_WAY, secrets);
        const job = metric.provider.job;
        if (job) {
          yield* commandLine(job.command, `${mp}.provider.job.command`, secrets);
          yield* commandLine(job.args, `${mp}.provider.job.args`, secrets);
        }
      }
      yield* check(spec.events?.sink.url, path('events.sink.url'), SINK_WAY);
      // An arg's value lands wherever the arg is placed (a URL, a header): a URL in it is checked here.
      for (const [ti, template] of (spec.analysisTemplates ?? []).entries()) {
        for (const [ai, arg] of (template.args ?? []).entries()) {
          for (const url of urlsIn(arg.value ?? '')) yield* check(url, path(`analysisTemplates[${ti}].args[${ai}].value`), ARG_SECRET_WAY);
        }
      }
      for (const { analysis, path: ap } of ctx.analyses) {
        for (const [ai, arg] of (analysis.args ?? []).entries()) {
          for (const url of urlsIn(arg.value ?? '')) yield* check(url, `${ap}.args[${ai}].value`, ARG_SECRET_WAY);
        }
      }
      yield* commandLine(spec.command, path('command'), new Set());
      yield* commandLine(spec.args, path('args'), new Set());
    },
  },
  {
    name: 'credential-env',
    *check(ctx) {
      yield* envValues(ctx.spec.env, ctx.path('env'));
      for (const { metric, path } of metrics(ctx)) yield* envValues(metric.provider.job?.env, `${path}.provider.job.env`);
    },
  },
];
