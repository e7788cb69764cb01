/**
 * An AnalysisLibrary as a Pulumi component (`canarykit:index:AnalysisLibrary`): its templates, the very
 * objects the YAML target writes, each a child. Apps name it in `CanaryAppArgs.libraries`, which checks
 * their references to its templates and makes them depend on it.
 */
import * as pulumi from '@pulumi/pulumi';
import type { AnalysisLibrarySpec, AnalysisLibraryDocument, LibraryMetadata } from '../../document/types';
import { checkLibrary } from '../../load/parse';
import { formatIssue } from '../../document/errors';
import { synthLibrary } from '../../constructs/synth';
import { KubeResource, register } from './canary-app';

export const ANALYSIS_LIBRARY_TYPE = 'canarykit:index:AnalysisLibrary';

/** Inputs of an AnalysisLibrary component: the `metadata` and `spec` of an AnalysisLibrary file. */
export interface AnalysisLibraryArgs {
  /** Exactly as under `spec:` in an AnalysisLibrary file. Plain values, not Outputs: it is checked before anything is registered. */
  readonly spec: AnalysisLibrarySpec;
  /** @default { name: <resource name>, namespace: "default" } */
  readonly metadata?: Partial<LibraryMetadata>;
}

/**
 * The shared templates of an AnalysisLibrary. An invalid spec throws a `SpecValidationError` listing
 * every problem before any resource, this one included, is registered.
 */
export class AnalysisLibrary extends pulumi.ComponentResource {
  /** The checked document, for the apps' reference checks. */
  public readonly document: AnalysisLibraryDocument;
  /** Names of its templates (ClusterAnalysisTemplates and AnalysisTemplates). */
  public readonly templateNames: pulumi.Output<string[]>;
  /** Namespace of its namespaced templates. */
  public readonly namespace: pulumi.Output<string>;
  /** Every child, in the order of the YAML target's objects. */
  public readonly resources: readonly KubeResource[];

  constructor(name: string, args: AnalysisLibraryArgs, opts?: pulumi.ComponentResourceOptions) {
    const checked = checkLibrary({ ...args?.metadata, name: args?.metadata?.name ?? name }, args?.spec);
    const objects = synthLibrary(checked.model);
    super(ANALYSIS_LIBRARY_TYPE, name, {}, opts);
    for (const w of checked.warnings) void pulumi.log.warn(formatIssue(w), this);
    this.document = checked.document;
    this.resources = objects.map((obj) => register(`${name}/${(obj.metadata as { name: string }).name}`, obj, { parent: this }));
    this.templateNames = pulumi.all(this.resources.map((r) => r.metadata.name));
    this.namespace = pulumi.output(checked.model.namespace);
    this.registerOutputs({ templateNames: this.templateNames, namespace: this.namespace });
  }
}
