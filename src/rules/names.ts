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
      const roles = model.services.all.map((s) => s.role).filter((r) => r !== 'root');
      const seen = new Map<string, string>();
      for (const { role, name } of model.services.all) {
        const at = path(`services.${role}.name`);
        const other = seen.get(name);
        if (other) yield error(at, `${show(name)} is already the name of ${other}; the ${roles.join(', ')} and root Services must differ`);
        seen.set(name, at);
      }
    },
  },
];
