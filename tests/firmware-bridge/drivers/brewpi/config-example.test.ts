// The BrewPi examples of docs/boards-firmata-brewpi.md and docs/boards.md pass `cobrew config check` as
// written; without their `board.custom` declarations the rating check refuses the board.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { cleanEnv, runCobrew } from '../../../app/cli-helpers.js';
import { brewPiExamples, firstFermenter } from './doc-examples.js';

const dir = mkdtempSync(join(tmpdir(), 'cobrew-brewpi-example-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const check = (file: string) => runCobrew(['config', 'check', file, '--data-dir', dir], cleanEnv());

describe('BrewPi examples in the docs', () => {
  for (const doc of ['docs/boards-firmata-brewpi.md', 'docs/boards.md']) {
    it(`${doc}: cobrew config check accepts it, and refuses it without board.custom`, async () => {
      const [example, ...more] = brewPiExamples(doc);
      expect(example).toBeDefined();
      expect(more).toEqual([]);
      const file = join(dir, `${doc.replace(/\W/g, '-')}.yaml`);
      writeFileSync(file, example as string);
      const ok = await check(file);
      expect(ok.stderr).toContain('Configuration OK');
      expect(ok.code).toBe(0);
      expect(ok.stdout).toContain('type: brewpi');
      expect(ok.stdout).toContain('profile: custom');

      const fermenter = firstFermenter(example as string);
      const { custom: _, ...bare } = fermenter.board as Record<string, unknown>;
      const bareFile = join(dir, `bare-${doc.replace(/\W/g, '-')}.yaml`);
      writeFileSync(bareFile, stringify({ fermenters: [{ ...fermenter, board: bare }] }));
      const refused = await check(bareFile);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('COBREW_ERR_BOARD_RATING');
      expect(refused.stderr).toContain('board.custom: profile custom declares no ratings');
    });
  }
});
