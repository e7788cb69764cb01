/** `strategy.blueGreen` of the Rollout: the active and preview Services, promotion and its analyses. */
import type { RolloutSpecStrategy } from '../../../imports/argoproj.io';
import type { ResolvedBlueGreenStrategy } from '../../model/model';
import { analysis } from './canary';

export function blueGreenStrategy(bg: ResolvedBlueGreenStrategy): RolloutSpecStrategy {
  return {
    blueGreen: {
      activeService: bg.activeService,
      previewService: bg.previewService,
      autoPromotionEnabled: bg.autoPromotionEnabled,
      autoPromotionSeconds: bg.autoPromotionSeconds,
      previewReplicaCount: bg.previewReplicaCount,
      scaleDownDelaySeconds: bg.scaleDownDelaySeconds,
      abortScaleDownDelaySeconds: bg.abortScaleDownDelaySeconds,
      scaleDownDelayRevisionLimit: bg.scaleDownDelayRevisionLimit,
      prePromotionAnalysis: bg.prePromotionAnalysis && analysis(bg.prePromotionAnalysis),
      postPromotionAnalysis: bg.postPromotionAnalysis && analysis(bg.postPromotionAnalysis),
      previewMetadata: { labels: { ...bg.previewMetadata.labels }, annotations: bg.previewMetadata.annotations && { ...bg.previewMetadata.annotations } },
      activeMetadata: { labels: { ...bg.activeMetadata.labels }, annotations: bg.activeMetadata.annotations && { ...bg.activeMetadata.annotations } },
    },
  };
}
