/**
 * What every rule sees: the spec as written (paths in messages point into it) and, computed on first use,
 * what the rules would otherwise each derive again: the resolved model (defaults applied once, in
 * `resolve`), the steps with the weight sugar spelled out, and one walk over every analysis reference.
 */
import type * as t from '../document/types';
import type { SpecIssue } from '../document/errors';
import { specSteps, templateRefName } from '../document/normalize';
import type { ResolvedApp } from '../model/model';
import { resolve } from '../model/resolve';
import { isRouted } from '../model/routers';

/** One AnalysisLibrary of the run, as the references of apps see it. */
export interface LibraryEntry {
  /** Namespace of its namespaced templates. */
  readonly namespace: string;
  readonly templates: ReadonlyMap<string, t.AnalysisTemplateSpec>;
}

/**
 * The AnalysisLibraries loaded with the apps, by name. Only the loader knows them, once every file is
 * read: without them, a reference to a library's template is left unchecked (a spec alone cannot say).
 */
export type LibraryIndex = ReadonlyMap<string, LibraryEntry>;

/** One template an analysis names, with its definition when the spec (or a loaded library) has one. */
export interface TemplateUse {
  readonly name: string;
  readonly cluster: boolean;
  /** The AnalysisLibrary the reference names. */
  readonly library?: string;
  readonly template?: t.AnalysisTemplateSpec;
  /** Index in the analysis' `templates`. */
  readonly index: number;
}

/** An analysis the strategy runs: a step's, or the background one. */
export interface AnalysisUse {
  readonly analysis: t.StepAnalysisSpec;
  /** Path of the analysis in the written spec. */
  readonly path: string;
  /** A step analysis must end before the rollout goes on; a background one runs until promotion. */
  readonly step: boolean;
  readonly templates: readonly TemplateUse[];
}

export class RuleContext {
  private resolved?: ResolvedApp;
  private stepList?: readonly t.CanaryStep[];
  private uses?: readonly AnalysisUse[];
  private byName?: ReadonlyMap<string, t.AnalysisTemplateSpec>;

  constructor(readonly meta: t.AppMetadata, readonly spec: t.CanaryAppSpec, readonly base = 'spec', readonly libraries?: LibraryIndex) {}

  /** `spec.<path>` (or under whatever base the spec was given at). An arrow, so rules can destructure it. */
  readonly path = (path: string): string => `${this.base}.${path}`;

  /** The model the targets will build from. Rules run before references are known to be good, so it is resolved tolerantly. */
  get model(): ResolvedApp {
    return (this.resolved ??= resolve(this.meta, this.spec));
  }

  /** Whether a traffic router splits traffic (otherwise weights are replica ratios). */
  get routed(): boolean {
    return isRouted(this.model.routing);
  }

  /**
   * Exactly one of `steps` and `weights` is written. Otherwise the steps-or-weights rule says so and the
   * rules about individual steps stay quiet: which list was meant is unknown.
   */
  get stepsWritten(): boolean {
    const canary = this.spec.canary;
    return canary !== undefined && (canary.steps === undefined) !== (canary.weights === undefined);
  }

  /** The canary steps as the controller runs them, before events are inserted; none with blue-green. */
  get steps(): readonly t.CanaryStep[] {
    return (this.stepList ??= specSteps(this.spec.canary));
  }

  /** Path of step `i` as written: under `steps`, or the weight of `weights` it was compiled from. */
  readonly stepPath = (i: number): string =>
    (this.spec.canary?.steps ? this.path(`canary.steps[${i}]`) : this.path(`canary.weights[${Math.floor(i / 2)}]`));

  get templates(): ReadonlyMap<string, t.AnalysisTemplateSpec> {
    return (this.byName ??= new Map((this.spec.analysisTemplates ?? []).map((tpl) => [tpl.name, tpl])));
  }

  /** A loaded library's ClusterAnalysisTemplate of that name: `{ name, cluster: true }` names the same object. */
  private libraryClusterTemplate(name: string): t.AnalysisTemplateSpec | undefined {
    for (const library of this.libraries?.values() ?? []) {
      const template = library.templates.get(name);
      if (template?.clusterScoped) return template;
    }
    return undefined;
  }

  /**
   * Every analysis of the strategy with the templates it names, looked up once: a canary's steps and
   * background analysis, a blue-green rollout's promotion analyses (which, like steps, must end).
   */
  get analyses(): readonly AnalysisUse[] {
    if (this.uses) return this.uses;
    const use = (analysis: t.StepAnalysisSpec, path: string, step: boolean): AnalysisUse => ({
      analysis, path, step,
      templates: analysis.templates.map((ref, index) => {
        const { name, cluster, library } = templateRefName(ref);
        const template = library !== undefined ? this.libraries?.get(library)?.templates.get(name)
          : this.templates.get(name) ?? (cluster ? this.libraryClusterTemplate(name) : undefined);
        return { name, cluster, library, index, template };
      }),
    });
    const out: AnalysisUse[] = [];
    const { canary, blueGreen } = this.spec;
    if (canary && this.stepsWritten) {
      this.steps.forEach((s, i) => {
        // Only written steps have an analysis: the weights sugar compiles to setWeight and pause steps.
        if (s.analysis) out.push(use(s.analysis, `${this.stepPath(i)}.analysis`, true));
      });
      if (canary.analysis) out.push(use(canary.analysis, this.path('canary.analysis'), false));
    }
    for (const key of ['prePromotionAnalysis', 'postPromotionAnalysis'] as const) {
      const analysis = blueGreen?.[key];
      if (analysis) out.push(use(analysis, this.path(`blueGreen.${key}`), true));
    }
    return (this.uses = out);
  }
}

/** A named check over one spec; `runRules` runs every registered rule and reports all issues. */
export interface Rule {
  /** kebab-case, unique: names the rule in docs/validation.md. */
  readonly name: string;
  readonly check: (ctx: RuleContext) => Iterable<SpecIssue>;
}

/** A rule of one strategy: it runs only when the spec chooses that strategy, and gets its written part. */
export interface StrategyRule<S> {
  readonly name: string;
  readonly check: (ctx: RuleContext, written: S) => Iterable<SpecIssue>;
}
