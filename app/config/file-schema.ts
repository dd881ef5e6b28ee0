// The schema as a description of what a person may write: a key that has a default may be left out, so
// it is not listed as required (Ajv fills it in; editors reading the schema should not flag it).
export function fileSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(fileSchema);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) out[key] = key === 'default' ? value : fileSchema(value);
  const props = out.properties as Record<string, { default?: unknown }> | undefined;
  if (Array.isArray(out.required) && props !== undefined) {
    const required = (out.required as string[]).filter((k) => props[k]?.default === undefined);
    if (required.length > 0) out.required = required;
    else delete out.required;
  }
  return out;
}
