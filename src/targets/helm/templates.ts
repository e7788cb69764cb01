/**
 * Chart templates from the same constructs as the YAML target. Parameterised model fields are replaced
 * by sentinel strings (`@@ck:<n>@@`), the model is synthesized and emitted exactly as the YAML target
 * does, and the sentinels in the text become template actions. The constructs do no arithmetic on the
 * fields the table exposes; they copy them, so a sentinel lands where the value would have.
 *
 * These sentinel shapes appear in the emitted YAML:
 *   key: "@@ck:3@@"        a whole scalar   -> key: {{ expr | toJson }}  (JSON is YAML, any value is safe)
 *   "@@ck:0@@-stable"      inside a string  -> {{ expr }}                (names, the namespace, inline numbers)
 *   "@@ck:5@@": ""         a map entry      -> the expression's map, merged into the surrounding map
 *   key:                   a map or list that is the value alone -> `key` and the value only when the
 *     "@@ck:6@@": ""       value is not empty, as the constructs leave an empty map or list out
 *   key:
 *   - "@@ck:7@@"
 *   key: "@@ck:8@@"        an optional field -> key and value only while the value is not null
 */
import type * as t from '../../document/types';
import type { ResolvedApp } from '../../model/model';
import { resolve } from '../../model/resolve';
import { KubeObject, synthModel } from '../../constructs/synth';
import { toYaml } from '../../util/yaml-emitter';
import { ChartParameters, get, set } from './table';

/** One way the objects can look: a spec and its parameter table. */
export interface Variant {
  readonly spec: t.CanaryAppSpec;
  readonly parameters: ChartParameters;
}

export interface TemplateInput {
  readonly meta: t.AppMetadata;
  /** The objects as the default values have them. */
  readonly main: Variant;
  /**
   * The objects when a boolean value that reshapes them (adds steps, objects) is false: objects that
   * differ are rendered `{{ if when }}main{{ else }}alt{{ end }}`.
   */
  readonly alt?: Variant & { readonly when: string };
  /** Expression of the object-name prefix (the fullname helper). */
  readonly nameExpr: string;
  /** Expression of the namespace (the namespace helper, which checks it). */
  readonly namespaceExpr: string;
}

interface Doc {
  readonly kind: string;
  readonly text: string;
}

/**
 * The sentinels of one chart: `@@ck<k>:<n>@@`, with the smallest `k` whose prefix no string of the spec
 * contains, so no user text can be taken for a sentinel (`@@ck:1@@` in an annotation stays text).
 */
function sentinels(input: TemplateInput): { token: (n: number) => string; pattern: string } {
  const text = JSON.stringify([input.meta, input.main.spec, input.alt?.spec]);
  let k = 0;
  while (text.includes(`@@ck${k}:`)) k++;
  return { token: (n) => `@@ck${k}:${n}@@`, pattern: `@@ck${k}:(\\d+)@@` };
}
const NAME = 0;
const NAMESPACE = 1;
const FIRST_BINDING = 2;

/** templates/<file> -> content: one file per object kind. */
export function templateFiles(input: TemplateInput): Map<string, string> {
  const marks = sentinels(input);
  const main = variantDocs(input, input.main, marks);
  const alt = input.alt && variantDocs(input, input.alt, marks);
  const docs: Doc[] = [];
  for (const key of new Set([...main.keys(), ...(alt?.keys() ?? [])])) {
    const a = main.get(key);
    const b = alt?.get(key);
    if (!alt || a?.text === b?.text) docs.push(a!);
    else docs.push({ kind: (a ?? b)!.kind, text: branches(input.alt.when, a?.text, b?.text) });
  }
  const byFile = new Map<string, string[]>();
  for (const doc of docs) {
    const file = `templates/${fileName(doc.kind)}`;
    byFile.set(file, [...(byFile.get(file) ?? []), doc.text]);
  }
  return new Map([...byFile].map(([file, texts]) => [file, texts.join('---\n')]));
}

function branches(when: string, then: string | undefined, otherwise: string | undefined): string {
  if (then === undefined) return `{{- if not ${when} }}\n${otherwise}{{- end }}\n`;
  return otherwise === undefined
    ? `{{- if ${when} }}\n${then}{{- end }}\n`
    : `{{- if ${when} }}\n${then}{{- else }}\n${otherwise}{{- end }}\n`;
}

/** Template text of each object of a variant, by kind and (sentinel) name. */
function variantDocs(input: TemplateInput, variant: Variant, { token, pattern }: ReturnType<typeof sentinels>): Map<string, Doc> {
  const { parameters } = variant;
  // Names and the namespace are spliced into many derived strings (`<app>-stable`, template names),
  // so they are substituted before resolving, where those strings are made.
  const model = structuredClone<ResolvedApp>(resolve({ ...input.meta, name: token(NAME), namespace: token(NAMESPACE) }, variant.spec));
  parameters.bindings.forEach((b, i) => {
    if (get(model, b.model) === undefined && b.form !== 'optional') throw new Error(`helm: model has no ${b.model.join('.')}`);
    const tok = token(FIRST_BINDING + i);
    set(model, b.model, b.form === 'entries' ? { [tok]: '' } : b.form === 'list' ? [tok] : b.form === 'inline' ? b.text!(tok) : tok);
  });
  const exprs = [input.nameExpr, input.namespaceExpr, ...parameters.bindings.map((b) => b.expr)];
  const tokensOf = (form: string) => new Set(parameters.bindings.flatMap((b, i) => (b.form === form ? [FIRST_BINDING + i] : [])));
  const inline = tokensOf('inline');
  const lists = tokensOf('list');
  const optionals = tokensOf('optional');
  const toggles = new Map(parameters.toggles.map((tg) => [tg.kind, tg.expr]));
  return new Map(synthModel(model).map((obj: KubeObject) => {
    const text = templateText(toYaml(obj), exprs, inline, pattern, lists, optionals);
    const toggle = toggles.get(obj.kind);
    return [`${obj.kind}/${obj.metadata.name}`, { kind: obj.kind, text: toggle ? branches(toggle, text, undefined) : text }];
  }));
}

function fileName(kind: string): string {
  return `${kind.toLowerCase()}.yaml`;
}

/** Emitted YAML with sentinels -> template text. */
export function templateText(yaml: string, exprs: readonly string[], inline: ReadonlySet<number>, pattern: string,
  lists: ReadonlySet<number> = new Set(), optionals: ReadonlySet<number> = new Set()): string {
  const expr = (n: string) => {
    const e = exprs[Number(n)];
    if (e === undefined) throw new Error(`helm: unknown sentinel ${n}`);
    return e;
  };
  const optional = (m: string, indent: string, key: string, n: string) => (Number(n) < FIRST_BINDING || (m.includes('\n' + indent + '- ') && !lists.has(Number(n))) ? m
    : `${indent}{{- with ${expr(n)} }}\n${indent}${key}:{{- toYaml . | nindent ${indent.length + 2} }}\n${indent}{{- end }}`);
  // Only a map whose one entry is the sentinel, and a list whose one item is (none follows at its indent).
  const out = escapeActions(yaml)
    .replace(new RegExp(`^( *)([A-Za-z][-\\w]*):\\n\\1 {2}"${pattern}": ""$(?!\\n\\1 {2})`, 'gm'), optional)
    .replace(new RegExp(`^( *)([A-Za-z][-\\w]*):\\n\\1- "${pattern}"$(?!\\n\\1- )`, 'gm'), optional)
    .replace(new RegExp(`^( *)"${pattern}": ""$`, 'gm'), (_m, indent: string, n: string) =>
      `{{- with ${expr(n)} }}{{- toYaml . | nindent ${indent.length} }}{{- end }}`)
    .replace(new RegExp(`^( *)([A-Za-z][-\\w]*): "${pattern}"$`, 'gm'), (m, indent: string, key: string, n: string) => (!optionals.has(Number(n)) ? m
      : `${indent}{{- if not (kindIs "invalid" ${expr(n)}) }}\n${indent}${key}: {{ ${expr(n)} | toJson }}\n${indent}{{- end }}`))
    .replace(new RegExp(`(: |- )"${pattern}"$`, 'gm'), (_m, lead: string, n: string) => {
      if (optionals.has(Number(n))) throw new Error(`helm: optional value ${expr(n)} is not a field of its own`);
      return `${lead}{{ ${expr(n)} | toJson }}`;
    })
    .replace(new RegExp(pattern, 'g'), (_m, n: string) => {
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
