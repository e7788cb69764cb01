/** Names that must be unique, or that canarykit and the controller reserve. */
import { error, show, SpecIssue } from '../document/errors';
import type { Rule } from './context';

/** One issue per repeated value, at the repetition. */
export function duplicates(values: readonly string[], path: (i: number) => string, what = 'name'): SpecIssue[] {
  const seen = new Set<string>();
  const issues: SpecIssue[] = [];
  values.forEach((v, i) => {
    if (seen.has(v)) issues.push(error(path(i), `duplicate ${what} ${show(v)}`));
    seen.add(v);
  });
  return issues;
}

export const nameRules: readonly Rule[] = [
  {
    name: 'services-distinct',
    *check({ model, path }) {
      const services: [string, string][] = [['services.stable.name', model.services.stable.name], ['services.canary.name', model.services.canary.name]];
      if (model.services.root) services.push(['services.root.name', model.services.root.name]);
      const seen = new Map<string, string>();
      for (const [at, name] of services) {
        const other = seen.get(name);
        if (other) yield error(path(at), `${show(name)} is already the name of ${other}; the stable, canary and root Services must differ`);
        seen.set(name, path(at));
      }
    },
  },
];
