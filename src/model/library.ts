/** An AnalysisLibrary resolved: its templates as the apps' are (`resolveTemplate`), named as written. */
import type * as t from '../document/types';
import { DEFAULTS } from '../document/defaults';
import type { ResolvedLibrary } from './model';
import { MANAGED_BY_LABEL, resolveTemplate } from './resolve';

/** Label on each template naming the library it came from (`app.kubernetes.io/name` names an app). */
export const LIBRARY_LABEL = 'canarykit.dev/analysis-library';

export function resolveLibrary(meta: t.LibraryMetadata, spec: t.AnalysisLibrarySpec): ResolvedLibrary {
  const interval = spec.scrapeInterval ?? DEFAULTS.scrapeInterval;
  return {
    name: meta.name,
    namespace: meta.namespace ?? DEFAULTS.namespace,
    labels: { ...(meta.labels ?? {}), [LIBRARY_LABEL]: meta.name, [MANAGED_BY_LABEL]: 'canarykit' },
    annotations: meta.annotations ?? {},
    analysisTemplates: spec.analysisTemplates.map((tpl) => resolveTemplate(tpl, tpl.name, { interval, prometheus: spec.prometheus })),
    scrapeInterval: interval,
  };
}

/** The spec an app would have with the library's templates: what the template and metric rules read. */
export function libraryAsAppSpec(spec: t.AnalysisLibrarySpec): t.CanaryAppSpec {
  return {
    analysisTemplates: spec.analysisTemplates,
    prometheus: spec.prometheus,
    serviceMonitor: { interval: spec.scrapeInterval ?? DEFAULTS.scrapeInterval },
  };
}
