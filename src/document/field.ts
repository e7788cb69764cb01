/**
 * The one way a schema field is declared, shared by schema.ts and the schema parts in their own files
 * (providers.ts), which cannot import schema.ts without a cycle.
 */
import type { z } from 'zod';

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
