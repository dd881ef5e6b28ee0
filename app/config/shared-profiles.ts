// Boards whose profile comes from the commons (board.custom.fromCommons): the shared profile's ratings
// replace the custom block, so `config check` and `start` run the same rating checks as for the author's
// own board. The profile is read from <data dir>/recipes.db, where importing a commons bundle put it.
import { existsSync } from 'node:fs';
import { sharedProfileProblems } from '../../firmware-bridge/boards/shared-profile.js';
import type { CustomProfileConfig } from '../../firmware-bridge/config-schema.js';
import type { CobrewConfig } from './schema.js';

/** Keys a custom block may hold beside fromCommons: only basedOn, which the schema fills by default. */
const OWN_KEYS: readonly (keyof CustomProfileConfig)[] = [
  'name',
  'heaterCutOut',
  'supply',
  'oneWire',
  'channels',
  'outputs',
];

/** Puts each shared profile in place; returns the problems, one line each (`  - key: …`). */
export async function applySharedProfiles(config: CobrewConfig, dataDir: string): Promise<string[]> {
  const users = config.fermenters.flatMap((f, i) =>
    f.board.type !== 'sim' && f.board.custom?.fromCommons !== undefined
      ? [{ i, board: f.board, id: f.board.custom.fromCommons }]
      : [],
  );
  if (users.length === 0) return [];
  // Loaded only for such a board, so that a bridge without one never loads the commons' code.
  const [{ recipesDbFile }, { openCommonsStore }] = await Promise.all([
    import('../../recipes/commons/db.js'),
    import('../../recipes/cli/store.js'),
  ]);
  const file = recipesDbFile(dataDir);
  const key = (i: number) => `  - fermenters[${i}].board.custom.fromCommons`;
  if (!existsSync(file)) {
    return users.map(
      (u) =>
        `${key(u.i)}: no commons here (${file}); import the bundle that shares it first (cobrew commons import <bundle>)`,
    );
  }
  const problems: string[] = [];
  const store = openCommonsStore(config, dataDir);
  try {
    for (const { i, board, id } of users) {
      const own = OWN_KEYS.filter((k) => board.custom?.[k] !== undefined);
      if (board.profile !== 'custom') {
        problems.push(`${key(i)}: used only with board.profile: custom (it is ${board.profile})`);
        continue;
      }
      if (own.length > 0) {
        problems.push(
          `${key(i)}: the shared profile declares the ratings; remove ${own.map((k) => `board.custom.${k}`).join(', ')} ` +
            'or share a new version of the profile with them',
        );
        continue;
      }
      const found = store.hardware.list('board-profile').find((h) => h.versions.some((v) => v.id === id));
      const version = found?.versions.find((v) => v.id === id);
      if (found === undefined || version === undefined) {
        problems.push(
          `${key(i)}: no board profile version ${id} in the commons here (GET /api/hardware lists them)`,
        );
        continue;
      }
      const lines = sharedProfileProblems(version.document);
      if (lines.length > 0) {
        problems.push(`${key(i)}: the shared profile is not one cobrew can check: ${lines.join('; ')}`);
        continue;
      }
      const shared = structuredClone(version.document) as CustomProfileConfig;
      board.custom = {
        ...shared,
        name: shared.name ?? `${version.title} (commons, v${version.number})`,
        fromCommons: id,
      };
    }
  } finally {
    store.close();
  }
  return problems;
}
