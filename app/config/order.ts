// Puts keys back in the order the schema declares them, so that a printed configuration reads like the
// documentation rather than in the order flags and defaults happened to be applied.
export function inSchemaOrder(value: unknown, schema: unknown): unknown {
  const s = schema as { properties?: Record<string, unknown>; items?: unknown } | undefined;
  if (Array.isArray(value)) return value.map((v) => inSchemaOrder(v, s?.items));
  if (typeof value !== 'object' || value === null || s?.properties === undefined) return value;
  const props = s.properties;
  const source = value as Record<string, unknown>;
  const keys = [
    ...Object.keys(props).filter((k) => k in source),
    ...Object.keys(source).filter((k) => !(k in props)),
  ];
  return Object.fromEntries(keys.map((k) => [k, inSchemaOrder(source[k], props[k])]));
}
