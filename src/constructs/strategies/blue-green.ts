/** `strategy.blueGreen` of the Rollout: the active and preview Services, promotion and its analyses. */
import type { RolloutSpecStrategy } from '../../../imports/argoproj.io';
import type { ResolvedBlueGreenStrategy } from '../../model/model';
import { analysis, antiAffinity, podMetadata } from './canary';

export function blueGreenStrategy(bg: ResolvedBlueGreenStrategy): RolloutSpecStrategy {
  // The model's scalar fields are the Rollout's, by name; only the nested ones need converting.
  const { kind: _kind, prePromotionAnalysis, postPromotionAnalysis, previewMetadata, activeMetadata, antiAffinity: anti, ...fields } = bg;
  return {
    blueGreen: {
      ...fields,
      prePromotionAnalysis: prePromotionAnalysis && analysis(prePromotionAnalysis),
      postPromotionAnalysis: postPromotionAnalysis && analysis(postPromotionAnalysis),
      previewMetadata: podMetadata(previewMetadata),
      activeMetadata: podMetadata(activeMetadata),
      antiAffinity: antiAffinity(anti),
    },
  };
}
