/**
 * Domain events: the sink can be reached with a token from a Secret, stage names differ, and with
 * `onAbort` no value can run as a Go template action or read a secret in the notification engine, where
 * event names and sink values are spliced (JSON-quoted) into its template and webhook service config.
 */
import { error, joinPath, show, warning } from '../document/errors';
import { RESERVED_FIELDS } from '../analysis/events';
import type { Rule } from './context';
import { hasControlCharacter } from './text';

export const eventRules: readonly Rule[] = [
  {
    name: 'event-sink',
    *check({ spec, path }) {
      const events = spec.events;
      if (!events) return;
      const sink = events.sink;
      if (!sink.url && !sink.last9?.organization) yield error(path('events.sink.url'), 'is required (or set sink.last9.organization)');
      for (const key of Object.keys(sink.fields ?? {})) {
        if ((RESERVED_FIELDS as readonly string[]).includes(key)) yield error(path(`events.sink.fields.${key}`), 'is set by canarykit for every event');
      }
      for (const [i, h] of (sink.headers ?? []).entries()) {
        if (hasControlCharacter(h.value)) yield error(path(`events.sink.headers[${i}].value`), 'contains a control character (newline?): it would split into another header');
      }
      if (sink.tokenSecretRef === undefined) {
        yield sink.last9
          ? error(path('events.sink.tokenSecretRef'), 'is required: the Last9 API needs a write token')
          : warning(path('events.sink.tokenSecretRef'), 'is not set: events are sent without a token');
      }
      // A canary has a stage per weight; blue-green has one (`preview`), so its name needs no {weight}.
      if (spec.canary && events.name !== undefined && !events.name.includes('{weight}')) {
        yield error(path('events.name'), `${show(events.name)} has no {weight}: every stage would send the same event name`);
      }
    },
  },
  {
    name: 'event-abort-notification',
    *check({ spec, path }) {
      const events = spec.events;
      if (!events || events.onAbort === false) return;
      const sink = events.sink;
      const templated: [string, string | undefined][] = [
        [path('events.name'), events.name],
        ...Object.entries(sink.fields ?? {}).flatMap(([k, v]): [string, string][] => [[joinPath(path('events.sink.fields'), [k]), `${k}${v}`]]),
      ];
      const config: [string, string | undefined][] = [
        [path('events.sink.url'), sink.url],
        [path('events.sink.tokenPrefix'), sink.tokenPrefix],
        ...(sink.headers ?? []).map((h, i): [string, string] => [path(`events.sink.headers[${i}].value`), h.value]),
      ];
      for (const [at, text] of [...templated, ...config]) {
        if (text?.includes('{{')) yield error(at, 'contains "{{", which the notification template of onAbort would run as a Go template action');
      }
      for (const [at, text] of config) {
        if (text?.includes('$')) yield error(at, 'contains "$", which the notification service config of onAbort reads as a secret reference');
      }
    },
  },
];
