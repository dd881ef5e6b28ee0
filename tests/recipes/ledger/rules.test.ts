import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../../app/config/schema.js';
import { schemaChecker } from '../../../common/schema-check.js';
import { CommonsConfigSchema } from '../../../recipes/commons/config-schema.js';
import { FORK_RULES, LICENCES } from '../../../recipes/commons/licences.js';
import { CONTRIBUTION_KINDS } from '../../../recipes/ledger/rules.js';

const check = schemaChecker(CommonsConfigSchema, 'commons');

describe('the commons settings', () => {
  it('are the commons: section of cobrew.yaml, with documented defaults', () => {
    expect(ConfigSchema.properties.commons).toBe(CommonsConfigSchema);
    expect(check({})).toEqual({
      space: { name: 'cobrew' },
      weights: { version: 10, fork: 5, brewlog: 4, review: 1, translation: 3, profile: 3, hardware: 5 },
      trustedSpaces: [],
      potSplit: { deductBatchCosts: false },
      library: true,
    });
    expect(Object.keys(check({}).weights)).toEqual([...CONTRIBUTION_KINDS]);
  });

  it('refuse negative or fractional weights, unknown kinds and a URL that is not http(s)', () => {
    expect(() => check({ weights: { version: -1 } })).toThrow(/weights\.version: -1 is not allowed/);
    expect(() => check({ weights: { fork: 2.5 } })).toThrow(/weights\.fork/);
    expect(() => check({ weights: { likes: 100 } })).toThrow(/weights\.likes: unknown key/);
    expect(() => check({ space: { name: 'x', url: 'javascript:alert(1)' } })).toThrow(/space\.url/);
  });

  it('have a fork rule for every licence, naming only known licences', () => {
    const ids = LICENCES.map((l) => l.id);
    expect(Object.keys(FORK_RULES).sort()).toEqual([...ids].sort());
    for (const rule of Object.values(FORK_RULES))
      for (const child of rule.children) expect(ids).toContain(child);
  });
});
