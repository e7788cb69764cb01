/**
 * Chart values: what a user may set, with its default, its JSON Schema and a comment. values.yaml and
 * values.schema.json are both written from one list, so the documentation, the defaults and the checks
 * helm runs before rendering cannot disagree.
 */
import { toYaml, yamlKey } from '../../util/yaml-emitter';

export type JsonSchema = Readonly<Record<string, unknown>>;

export interface ChartValue {
  /** Key path under `.Values`, e.g. `['canary', 'steps', 'quarter', 'setWeight']`. */
  readonly path: readonly string[];
  /** One sentence for values.yaml and the schema's description. */
  readonly description: string;
  /** Schema of this value alone (type, range, pattern). */
  readonly schema: JsonSchema;
  readonly default: unknown;
  /** Null by default and then absent from the values helm passes (it drops null values), so not required. */
  readonly optional?: boolean;
}

/** Go template expression reading a value: dotted where keys allow it, `index` otherwise (step names have dashes). */
export function valuesExpr(path: readonly string[]): string {
  return path.every((k) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(k))
    ? `.Values.${path.join('.')}`
    : `(index .Values ${path.map((k) => JSON.stringify(k)).join(' ')})`;
}

interface Tree { [key: string]: Tree | ChartValue }

function tree(values: readonly ChartValue[]): Tree {
  const root: Tree = {};
  for (const v of values) {
    let node = root;
    for (const key of v.path.slice(0, -1)) node = (node[key] ??= {}) as Tree;
    node[v.path[v.path.length - 1]] = v;
  }
  return root;
}

const isLeaf = (n: Tree | ChartValue): n is ChartValue => Array.isArray((n as ChartValue).path);

/** values.yaml: every value with its comment, in the order the table lists them. */
export function valuesYaml(header: string, values: readonly ChartValue[]): string {
  const out: string[] = header.split('\n').map((l) => `# ${l}`.trimEnd());
  const write = (node: Tree, indent: string) => {
    for (const [key, child] of Object.entries(node)) {
      if (!isLeaf(child)) {
        out.push(`${indent}${yamlKey(key)}:`);
        write(child, `${indent}  `);
        continue;
      }
      out.push(`${indent}# ${child.description}`);
      for (const line of toYaml({ [key]: child.default }).trimEnd().split('\n')) out.push(`${indent}${line}`);
    }
  };
  out.push('');
  write(tree(values), '');
  return `${out.join('\n')}\n`;
}

/**
 * values.schema.json (draft-07). Every object is closed, so a misspelt key fails `helm install` instead
 * of being ignored; `global` stays open because a parent chart passes it to every subchart.
 */
export function valuesSchema(title: string, values: readonly ChartValue[]): Record<string, unknown> {
  const object = (node: Tree): Record<string, unknown> => {
    const properties = Object.fromEntries(Object.entries(node).map(([key, child]) => [key, isLeaf(child)
      ? { description: child.description, ...child.schema }
      : object(child)]));
    const required = Object.entries(node).filter(([, child]) => !isLeaf(child) || !child.optional).map(([key]) => key);
    return { type: 'object', additionalProperties: false, required, properties };
  };
  const root = object(tree(values));
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title,
    ...root,
    properties: { ...(root.properties as object), global: { type: 'object', description: 'Values a parent chart shares with its subcharts.' } },
  };
}
