/** Numbers and durations the API and the controller can hold: int32 fields, int32-second pauses, Go durations. */
import { error, joinPath, show, SpecIssue } from '../document/errors';
import { durationSeconds } from '../document/patterns';
import type { Rule } from './context';

/** Kubernetes and Argo Rollouts integer fields are int32 (`format: int32`), except these int64 ones. */
const INT64_FIELDS = new Set(['runAsUser', 'runAsGroup', 'fsGroup', 'activeDeadlineSeconds', 'timeout']);
const INT32_MAX = 2 ** 31 - 1;
/** Go's `time.ParseDuration` fails past int64 nanoseconds; pause durations are converted to int32 seconds. */
const MAX_GO_DURATION_SECONDS = 9223372036;

export const rangeRules: readonly Rule[] = [
  {
    name: 'int32',
    check({ spec, base }) {
      const issues: SpecIssue[] = [];
      // The path of the value being walked; spelled out only for an issue, as this visits every field.
      const at: PropertyKey[] = [];
      const walk = (value: unknown, key: string): void => {
        if (typeof value === 'number' && value > INT32_MAX && !INT64_FIELDS.has(key)) {
          issues.push(error(joinPath(base, at), `${value} is larger than ${INT32_MAX}, the largest int32 the API accepts`));
        } else if (Array.isArray(value)) {
          value.forEach((v, i) => { at.push(i); walk(v, key); at.pop(); });
        } else if (value !== null && typeof value === 'object') {
          for (const k in value) { at.push(k); walk((value as Record<string, unknown>)[k], k); at.pop(); }
        }
      };
      walk(spec, '');
      return issues;
    },
  },
  {
    name: 'duration-ranges',
    check({ spec, path }) {
      const issues: SpecIssue[] = [];
      const check = (at: string, value: string | number | undefined, maxSeconds: number, what: string) => {
        if (value !== undefined && durationSeconds(value) > maxSeconds) {
          issues.push(error(at, `${show(value)} is longer than ${maxSeconds}s, the longest ${what}`));
        }
      };
      const pauseMax = 'pause the controller accepts (int32 seconds)';
      const goMax = 'Go duration';
      spec.canary?.steps?.forEach((s, i) => check(path(`canary.steps[${i}].pause.duration`), s.pause?.duration, INT32_MAX, pauseMax));
      if (spec.canary?.pause !== 'manual') check(path('canary.pause'), spec.canary?.pause, INT32_MAX, pauseMax);
      (spec.analysisTemplates ?? []).forEach((tpl, ti) => tpl.metrics.forEach((m, mi) => {
        check(path(`analysisTemplates[${ti}].metrics[${mi}].interval`), m.interval, MAX_GO_DURATION_SECONDS, goMax);
        check(path(`analysisTemplates[${ti}].metrics[${mi}].initialDelay`), m.initialDelay, MAX_GO_DURATION_SECONDS, goMax);
      }));
      check(path('serviceMonitor.interval'), spec.serviceMonitor?.interval, MAX_GO_DURATION_SECONDS, goMax);
      check(path('serviceMonitor.scrapeTimeout'), spec.serviceMonitor?.scrapeTimeout, MAX_GO_DURATION_SECONDS, goMax);
      return issues;
    },
  },
];
