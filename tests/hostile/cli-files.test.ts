// Finding 16: hostile files on the command line get a typed error and exit code 2, never a stack trace.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCobrew } from '../app/cli-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'cobrew-hostile-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const DEPTH = 100_000;
const FILES: Array<[string, string, string]> = [
  [
    'entity.xml',
    '<?xml version="1.0"?>\n<!DOCTYPE r [<!\nENTITY x "y">]>\n<RECIPES><RECIPE><NAME>&x;</NAME></RECIPE></RECIPES>',
    'COBREW_ERR_RECIPE_XML_ENTITIES',
  ],
  ['deep.xml', `${'<A>'.repeat(DEPTH)}${'</A>'.repeat(DEPTH)}`, 'COBREW_ERR_RECIPE_FILE_MALFORMED'],
  ['deep.json', `${'{"a":'.repeat(DEPTH)}1${'}'.repeat(DEPTH)}`, 'COBREW_ERR_RECIPE_FILE_MALFORMED'],
];

describe('hostile files on the command line', () => {
  it.each(FILES)('cobrew recipe calc %s: a typed error, exit code 2', async (name, text, code) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    const run = await runCobrew(['recipe', 'calc', path]);
    expect(run.stderr).toMatch(new RegExp(`^${code}: `));
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.code).toBe(2);
  });

  it('cobrew config check on a YAML alias bomb: a typed error, exit code 2', async () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i);
      const next = String.fromCharCode(97 + i);
      levels.push(`${next}: &${next} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const path = join(dir, 'bomb.yaml');
    writeFileSync(path, `${levels.join('\n')}\n`);
    const run = await runCobrew(['config', 'check', '--config', path]);
    expect(run.stderr).toMatch(/^COBREW_ERR_CONFIG_INVALID: /);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.code).toBe(2);
  });
});
