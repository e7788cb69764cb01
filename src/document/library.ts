/**
 * `kind: AnalysisLibrary`: analysis templates a platform team defines once, beside the apps, and apps
 * reference by name (`{ name, library }` in an analysis' `templates`). The templates are the in-app ones
 * (the same metrics, providers, built-ins and args, `analysisTemplate` of schema.ts) under their own name:
 * no app prefix, since many apps share them. A ClusterAnalysisTemplate serves apps in every namespace; a
 * namespaced one lives in the library's namespace and serves the apps there.
 */
import { z } from 'zod';
import { DEFAULTS } from './defaults';
import { dnsLabel, duration, field, required } from './fields';
import { analysisTemplate, API_VERSION, metadataSchema, prometheus } from './schema';
import { LIBRARY_KIND } from './constants';

export { LIBRARY_KIND };

export const libraryTemplate = analysisTemplate.extend({
  name: required(dnsLabel(), 'Object name of the template, as apps reference it (`{ name, library }`); not prefixed, so it names the template cluster-wide (clusterScoped) or in the library\'s namespace.'),
  clusterScoped: field(z.boolean(), { description: 'A ClusterAnalysisTemplate, for apps in every namespace (they reference it with `cluster: true`); else an AnalysisTemplate in the library\'s namespace, for the apps there.', default: DEFAULTS.clusterScopedTemplate }),
});

export const libraryMetadata = metadataSchema.extend({
  // The app name's shape: the library's output file, chart and Argo CD Application share the apps' names.
  name: required(metadataSchema.shape.name.clone(), 'Library name: names its output file, chart, Pulumi component and Argo CD Application, unique among the apps and libraries of a run.'),
  namespace: field(dnsLabel(), { description: 'Namespace of the namespaced templates (the apps that use them are in it).', default: DEFAULTS.namespace }),
});

export const librarySpec = z.strictObject({
  prometheus: field(prometheus, { description: 'Default Prometheus of the templates\' Prometheus metrics. Default: none (the controller\'s ARGO_ROLLOUTS_PROMETHEUS_ADDRESS).' }),
  scrapeInterval: field(duration(), { description: 'Scrape interval of the series the built-in metrics read (their windows are 4 of it).', default: DEFAULTS.scrapeInterval }),
  analysisTemplates: required(z.array(libraryTemplate).min(1, { error: 'must define at least one template' }), 'The shared templates.'),
});

export const libraryDocumentSchema = z.strictObject({
  apiVersion: required(z.literal(API_VERSION), 'Version of the canarykit format.'),
  kind: required(z.literal(LIBRARY_KIND), 'Kind of the document.'),
  metadata: required(libraryMetadata, 'The library: its name, the namespace of its namespaced templates, labels and annotations of every template.'),
  spec: required(librarySpec, 'The shared analysis templates.'),
});
