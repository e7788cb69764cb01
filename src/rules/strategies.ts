/** Each strategy's rules, run only when the spec chooses that strategy, with its written part. */
import { blueGreenRules } from './blue-green';
import { canaryRules } from './canary';
import type { Rule } from './context';

export const strategyRules: readonly Rule[] = [
  ...canaryRules.map((rule): Rule => ({ name: rule.name, check: (ctx) => (ctx.spec.canary ? rule.check(ctx, ctx.spec.canary) : []) })),
  ...blueGreenRules.map((rule): Rule => ({ name: rule.name, check: (ctx) => (ctx.spec.blueGreen ? rule.check(ctx, ctx.spec.blueGreen) : []) })),
];
