/** The objects of an AnalysisLibrary: its templates, built by the construct an app's templates use. */
import { Construct } from 'constructs';
import type { ResolvedLibrary } from '../model/model';
import { CanaryAnalysisTemplate } from './analysis-template';

export interface AnalysisLibraryProps {
  /** The resolved library (model/library.ts). */
  readonly library: ResolvedLibrary;
}

/** One AnalysisTemplate or ClusterAnalysisTemplate per template of the library, named as written. */
export class AnalysisLibrary extends Construct {
  public readonly templates: readonly CanaryAnalysisTemplate[];

  constructor(scope: Construct, id: string, props: AnalysisLibraryProps) {
    super(scope, id);
    const { library } = props;
    this.templates = library.analysisTemplates.map((template) => new CanaryAnalysisTemplate(this, template.name, { app: library, template }));
  }
}
