/** Chart values of the canary strategy: each step's weight and timed pause, keyed by step name. */
import type * as t from '../../../document/types';
import { specSteps, templateRefName } from '../../../document/normalize';
import type { ResolvedCanaryStrategy } from '../../../model/model';
import { applyEvents, EVENT_TEMPLATE } from '../../../analysis/events';
import { DURATION, Table } from '../table';

export function canaryParameters(strategy: ResolvedCanaryStrategy, table: Table, meta: t.AppMetadata, spec: t.CanaryAppSpec): void {
  // Keys name the steps as written; event steps (inserted by resolve) have none, so the keys are the
  // same whether events are on or off.
  const written = specSteps(spec.canary);
  const run = specSteps(applyEvents(meta, table.model.namespace, spec).canary);
  let w = -1;
  strategy.steps.forEach((step, i) => {
    if (isEventStep(run[i])) return;
    w += 1;
    const key = ['canary', 'steps', stepKey(written[w], w)];
    if (step.setWeight !== undefined) {
      table.field(['strategy', 'steps', i, 'setWeight'], [...key, 'setWeight'], 'Percent of traffic sent to the canary at this step.',
        { type: 'integer', minimum: 0, maximum: 100 });
    }
    if (step.pause?.duration !== undefined) {
      table.field(['strategy', 'steps', i, 'pause', 'duration'], [...key, 'pause', 'duration'], 'Pause length: seconds or a duration such as 5m.',
        { anyOf: [{ type: 'integer', minimum: 0 }, DURATION] });
    }
  });
}

/**
 * Values key of a canary step: its spec name, else `step_<index>` (its position in the spec's steps).
 * Step names are DNS labels, so no name can take the key of an unnamed step.
 */
function stepKey(step: t.CanaryStep, index: number): string {
  return step.name ?? `step_${index}`;
}

function isEventStep(step: t.CanaryStep): boolean {
  return step.analysis?.templates.some((ref) => templateRefName(ref).name === EVENT_TEMPLATE) ?? false;
}
