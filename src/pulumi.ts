/**
 * `canarykit/pulumi`: the Pulumi component. A separate entry point so that `canarykit` itself (and the
 * CLI) never loads @pulumi/*, which are optional peer dependencies.
 */
export { CanaryApp, CANARY_APP_TYPE, SKIP_AWAIT_ANNOTATION } from './targets/pulumi/canary-app';
export type { CanaryAppArgs } from './targets/pulumi/canary-app';
export { AnalysisLibrary, ANALYSIS_LIBRARY_TYPE } from './targets/pulumi/analysis-library';
export type { AnalysisLibraryArgs } from './targets/pulumi/analysis-library';
