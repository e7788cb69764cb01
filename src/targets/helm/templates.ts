/**
 * Chart templates from the same constructs as the YAML target. Parameterised model fields are replaced
 * by sentinel strings (`@@ck:<n>@@`), the model is synthesized and emitted exactly as the YAML target
 * does, and the sentinels in the text become template actions. The constructs do no arithmetic on the
 * fields the table exposes; they copy them, so a sentinel lands where the value would have.
 *
 * Three sentinel shapes appear in the emitted YAML:
 *   key: "@@ck:3@@"        a whole scalar   -> key: {{ expr | toJson }}  (JSON is YAML, any value is safe)
 *   "@@ck:0@@-stable"      inside a string  -> {{ expr }}                (names, the namespace, inline numbers)
 *   "@@ck:5@@": ""         a map entry      -> the expression's map, merged into the surrounding map
 */
import type * as t from '../../spec/types';
import type { ResolvedApp } from '../../spec/model';
import { resolve } from '../../spec/resolve';
import { KubeObject, synthModel } from '../../synth';
import { toYaml } from '../yaml-emitter';
import { ChartParameters, get, set } from './parameters';

export interface TemplateInput {
  readonly meta: t.AppMetadata;
  readonly spec: t.CanaryAppSpec;
  readonly parameters: ChartParameters;
  /** Expression of the object-name prefix (the fullname helper). */
  readonly nameExpr: string;
}

const token = (n: number) => `@@ck:${n}@@`;
const NAME = 0;
const NAMESPACE = 1;
const FIRST_BINDING = 2;

/** templates/<file> -> content: one file per object kind. */
export function templateFiles(input: TemplateInput): Map<string, string> {
  const { parameters } = input;
  // Names and the namespace are spliced into many derived strings (`<app>-stable`, template names),
  // so they are substituted before resolving, where those strings are made.
  const model = structuredClone(resolve({ ...input.meta, name: token(NAME), namespace: token(NAMESPACE) }, input.spec)) as ResolvedApp;
  parameters.bindings.forEach((b, i) => {
    if (get(model, b.model) === undefined) throw new Error(`helm: model has no ${b.model.join('.')}`);
    const tok = token(FIRST_BINDING + i);
    set(model, b.model, b.form === 'entries' ? { [tok]: '' } : b.form === 'inline' ? b.text!(tok) : tok);
  });
  const exprs = [input.nameExpr, '.Release.Namespace', ...parameters.bindings.map((b) => b.expr)];
  const inline = new Set(parameters.bindings.flatMap((b, i) => (b.form === 'inline' ? [FIRST_BINDING + i] : [])));
  const toggles = new Map(parameters.toggles.map((tg) => [tg.kind, tg.expr]));

  const byFile = new Map<string, string[]>();
  for (const obj of synthModel(model)) {
    const text = templateText(toYaml(obj), exprs, inline);
    const toggle = toggles.get(obj.kind);
    const file = `templates/${fileName(obj)}`;
    byFile.set(file, [...(byFile.get(file) ?? []), toggle ? `{{- if ${toggle} }}\n${text}{{- end }}\n` : text]);
  }
  return new Map([...byFile].map(([file, docs]) => [file, docs.join('---\n')]));
}

function fileName(obj: KubeObject): string {
  return `${obj.kind.toLowerCase()}.yaml`;
}

/** Emitted YAML with sentinels -> template text. */
export function templateText(yaml: string, exprs: readonly string[], inline: ReadonlySet<number>): string {
  const expr = (n: string) => {
    const e = exprs[Number(n)];
    if (e === undefined) throw new Error(`helm: unknown sentinel ${n}`);
    return e;
  };
  const out = escapeActions(yaml)
    .replace(/^( *)"@@ck:(\d+)@@": ""$/gm, (_m, indent: string, n: string) =>
      `{{- with ${expr(n)} }}{{- toYaml . | nindent ${indent.length} }}{{- end }}`)
    .replace(/(: |- )"@@ck:(\d+)@@"$/gm, (_m, lead: string, n: string) => `${lead}{{ ${expr(n)} | toJson }}`)
    .replace(/@@ck:(\d+)@@/g, (_m, n: string) => {
      // Spliced into a string: names and the namespace (DNS names) as they are, inline numbers as JSON.
      if (inline.has(Number(n))) return `{{ ${expr(n)} | toJson }}`;
      if (Number(n) >= FIRST_BINDING) throw new Error(`helm: value ${expr(n)} appears inside a longer string`);
      return `{{ ${expr(n)} }}`;
    });
  return out;
}

/**
 * Argo Rollouts' own `{{args.x}}` placeholders (and any other braces in user text) must reach the
 * controller unchanged, so each `{{` and `}}` becomes an action printing it literally.
 */
export function escapeActions(text: string): string {
  return text.replace(/\{\{|\}\}/g, (m) => `{{ "${m}" }}`);
}
