// The effective configuration as the journal keeps it (masked by the caller): a short hash to tell two starts
// apart at a glance, and the changes between two of them in words.
import { createHash } from 'node:crypto';

/** JSON with object keys sorted, so equal configurations hash the same whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value !== 'object' || value === null) return JSON.stringify(value) ?? 'null';
  const keys = Object.keys(value).sort();
  return `{${keys
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
    .join(',')}}`;
}

/** A short hash of a configuration; the caller passes it with its secrets already masked. */
export function configHash(config: unknown): string {
  return createHash('sha256').update(canonical(config)).digest('hex').slice(0, 16);
}

const show = (v: unknown) => (v === undefined ? '(not set)' : JSON.stringify(v));

/**
 * Every leaf that differs between two configurations, as `path: before → after`. Fermenters are matched by
 * id, so reordering them is no change. At most `limit` lines, the last saying how many more there were.
 */
export function configChanges(before: unknown, after: unknown, limit = 50): string[] {
  const out: string[] = [];
  const walk = (a: unknown, b: unknown, path: string) => {
    if (canonical(a) === canonical(b)) return;
    if (isById(a) && isById(b)) {
      const ids = new Set([...a.map((x) => x.id), ...b.map((x) => x.id)]);
      for (const id of ids)
        walk(
          a.find((x) => x.id === id),
          b.find((x) => x.id === id),
          `${path}[${id}]`,
        );
      return;
    }
    if (isObject(a) && isObject(b)) {
      for (const k of new Set([...Object.keys(a), ...Object.keys(b)]))
        walk(a[k], b[k], path === '' ? k : `${path}.${k}`);
      return;
    }
    out.push(`${path}: ${show(a)} → ${show(b)}`);
  };
  walk(before, after, '');
  return out.length > limit ? [...out.slice(0, limit - 1), `… and ${out.length - limit + 1} more`] : out;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isById = (v: unknown): v is Array<{ id: string }> =>
  Array.isArray(v) && v.every((x) => isObject(x) && typeof x.id === 'string');
