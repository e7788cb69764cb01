/**
 * The field builders every part of the spec schema is made of: optional and required fields with their
 * description (and published default), and the primitive shapes with their error messages.
 */
import { z } from 'zod';
import { DNS1123_LABEL, DNS1123_SUBDOMAIN, DNS1035_LABEL, GO_DURATION, QUANTITY } from './patterns';

/**
 * An optional field with its description and, when it is a literal, its default: one call, so the JSON
 * Schema says what the code does. The default is published (`default`), not applied: parsed data keeps
 * the field absent (zod's `.default()` would fill it in and change what the rules see), and resolve
 * applies it from DEFAULTS. A computed default is worded in the description.
 */
export function field<S extends z.ZodType>(schema: S, meta: { description: string; default?: z.input<S> }): z.ZodOptional<S> {
  return schema.optional().meta(meta);
}

/** A required field with its description. */
export function required<S extends z.ZodType>(schema: S, description: string): S {
  return schema.meta({ description });
}

export const str = () => z.string().min(1, { error: 'must not be empty' });
export const intIn = (min: number, max: number) =>
  z.number({ error: 'must be a number' }).int({ error: 'must be an integer' })
    .min(min, { error: `is not in ${min}..${max}` }).max(max, { error: `is not in ${min}..${max}` });
export const nonNegInt = () => z.number({ error: 'must be a number' }).int({ error: 'must be an integer' }).min(0, { error: 'must be >= 0' });
export const posInt = () => z.number({ error: 'must be a number' }).int({ error: 'must be an integer' }).min(1, { error: 'must be >= 1' });
export const port = () => intIn(1, 65535);

export const dnsLabel = (max = 63) => z.string()
  .max(max, { error: `is longer than ${max} characters` })
  .regex(DNS1123_LABEL, { error: 'is not a DNS-1123 label (lower case alphanumerics and "-", starting and ending alphanumeric)' });
export const dns1035 = () => z.string()
  .max(63, { error: 'is longer than 63 characters' })
  .regex(DNS1035_LABEL, { error: 'is not a DNS-1035 label (lower case alphanumerics and "-", starting with a letter)' });
export const subdomain = () => z.string()
  .max(253, { error: 'is longer than 253 characters' })
  .regex(DNS1123_SUBDOMAIN, { error: 'is not a DNS-1123 subdomain' });
export const duration = () => z.string().regex(GO_DURATION, { error: 'is not a duration such as 30s, 5m or 1h30m' });
export const quantity = () => z.string().regex(QUANTITY, { error: 'is not a Kubernetes quantity such as 100m or 128Mi' });
export const intOrPercent = () => z.union([nonNegInt(), z.string().regex(/^[0-9]+%$/, { error: 'is not an integer or a percentage such as 25%' })]);

