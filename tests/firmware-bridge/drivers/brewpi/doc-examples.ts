// The BrewPi examples of the docs, as a person would copy them into cobrew.yaml.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

const ROOT = new URL('../../../../', import.meta.url);

/** Each ```yaml block of `doc` (relative to the repository) that configures a BrewPi fermenter. */
export function brewPiExamples(doc: string): string[] {
  const text = readFileSync(new URL(doc, ROOT), 'utf8');
  const blocks = [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] as string);
  return blocks.filter((b) => b.startsWith('fermenters:') && b.includes('type: brewpi'));
}

/** The first fermenter of an example, as parsed YAML (before the schema fills its defaults). */
export function firstFermenter(example: string): Record<string, unknown> {
  const config = parse(example) as { fermenters: Array<Record<string, unknown>> };
  return config.fermenters[0] as Record<string, unknown>;
}
