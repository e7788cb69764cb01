/**
 * The one registry of rules across fields. The zod schema (document/schema.ts) has checked shapes,
 * types, ranges and formats; these rules check what one field says about another, what the Argo Rollouts
 * controller (argo-rollouts v1.9.1: `pkg/apis/rollouts/validation`, `utils/analysis`, the metric
 * providers) and the API server will refuse, and what they accept but cannot mean what was written.
 * docs/validation.md maps each rule, by name, to its source and its test.
 *
 * Rules are grouped by subject in their own modules; this list is the order problems are reported in:
 * what a reader fixes first (the image, names, routing, steps) before what follows from it.
 */
import type { SpecIssue } from '../document/errors';
import { apiLimitRules } from './api-limits';
import { analysisReferenceRules, libraryReferenceRules, metricRules, templateRules } from './analysis';
import type { Rule, RuleContext } from './context';
import { credentialRules } from './credentials';
import { eventRules } from './events';
import { metadataRules } from './metadata';
import { monitoringRules } from './monitoring';
import { nameRules } from './names';
import { notificationRules } from './notifications';
import { podRules } from './pods';
import { productionRules } from './production';
import { providerRules } from './providers';
import { rangeRules } from './ranges';
import { routerRules } from './routers';
import { strategyRules } from './strategies';
import { ingressRules } from './traffic';

export const RULES: readonly Rule[] = [
  ...podRules,
  ...metadataRules,
  ...nameRules,
  ...routerRules,
  ...ingressRules,
  ...monitoringRules,
  ...rangeRules,
  ...strategyRules,
  ...productionRules,
  ...analysisReferenceRules,
  ...templateRules,
  ...metricRules,
  ...providerRules,
  ...eventRules,
  ...apiLimitRules,
  ...credentialRules,
  ...notificationRules,
  ...libraryReferenceRules,
];

/** Every issue of a spec whose shape the schema accepted, in `RULES` order. */
export function runRules(ctx: RuleContext): SpecIssue[] {
  return runRuleList(RULES, ctx);
}

/**
 * Every issue of an AnalysisLibrary's templates: the rules over templates and metrics an app's get, read
 * from a RuleContext whose spec has the library's templates (model/library.ts libraryAsAppSpec).
 */
export const LIBRARY_RULES: readonly Rule[] = [...templateRules, ...metricRules, ...providerRules, ...credentialRules];

/** The rules over an app's references to templates, run again once the libraries of the run are known. */
export const REFERENCE_RULES: readonly Rule[] = [...analysisReferenceRules, ...libraryReferenceRules];

export function runRuleList(rules: readonly Rule[], ctx: RuleContext): SpecIssue[] {
  const issues: SpecIssue[] = [];
  for (const rule of rules) for (const issue of rule.check(ctx)) issues.push(issue);
  return issues;
}
