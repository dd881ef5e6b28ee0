// Licences a recipe may carry, by SPDX id, and which licences a fork may take given its parent's. Both are
// data: adding a licence (or a later BY-SA version once Creative Commons declares it compatible) is a row.
import { LicenceIncompatibleError, LicenceUnknownError } from './errors.js';

export interface Licence {
  id: string;
  name: string;
  url: string;
  /** Adaptations must credit the authors and indicate changes. */
  attribution: boolean;
}

/**
 * The Peer Production License is not on the SPDX list; SPDX lets a document name such a licence with a
 * `LicenseRef-` id, which is what this is.
 */
export const PPL_ID = 'LicenseRef-PPL';

export const DEFAULT_LICENCE = 'CC-BY-SA-4.0';

export const LICENCES: readonly Licence[] = [
  {
    id: 'CC-BY-SA-4.0',
    name: 'Creative Commons Attribution-ShareAlike 4.0 International',
    url: 'https://creativecommons.org/licenses/by-sa/4.0/',
    attribution: true,
  },
  {
    id: 'CC-BY-4.0',
    name: 'Creative Commons Attribution 4.0 International',
    url: 'https://creativecommons.org/licenses/by/4.0/',
    attribution: true,
  },
  {
    id: 'CC0-1.0',
    name: 'Creative Commons Zero v1.0 Universal (public domain dedication)',
    url: 'https://creativecommons.org/publicdomain/zero/1.0/',
    attribution: false,
  },
  {
    id: PPL_ID,
    name: 'Peer Production License (commercial use only by worker-owned businesses and collectives)',
    url: 'https://wiki.p2pfoundation.net/Peer_Production_License',
    attribution: true,
  },
  {
    id: 'CC-BY-NC-SA-4.0',
    name: 'Creative Commons Attribution-NonCommercial-ShareAlike 4.0 International',
    url: 'https://creativecommons.org/licenses/by-nc-sa/4.0/',
    attribution: true,
  },
];

interface ForkRule {
  /** The licences a fork of a recipe under this licence may take. */
  children: readonly string[];
  /** Why, in a sentence; the refusal quotes it. */
  reason: string;
}

export const FORK_RULES: Readonly<Record<string, ForkRule>> = {
  'CC-BY-SA-4.0': {
    children: ['CC-BY-SA-4.0'],
    reason:
      'ShareAlike (§3(b)) requires adaptations to be shared under the same licence or a later version ' +
      'Creative Commons declares compatible.',
  },
  'CC-BY-4.0': {
    children: ['CC-BY-4.0', 'CC-BY-SA-4.0'],
    reason:
      'the commons keeps adaptations of an Attribution work open: Attribution or Attribution-ShareAlike.',
  },
  'CC0-1.0': {
    children: LICENCES.map((l) => l.id),
    reason: 'a public-domain dedication allows any licence.',
  },
  [PPL_ID]: {
    children: [PPL_ID],
    reason: 'the Peer Production License is ShareAlike: adaptations keep the same licence.',
  },
  'CC-BY-NC-SA-4.0': {
    children: ['CC-BY-NC-SA-4.0'],
    reason: 'ShareAlike requires adaptations to be shared under the same licence.',
  },
};

export function licence(id: string): Licence {
  const found = LICENCES.find((l) => l.id === id);
  if (found === undefined) throw new LicenceUnknownError(id, LICENCES.map((l) => l.id).join(', '));
  return found;
}

/** The licences a fork of a `parent`-licensed recipe may take, the parent's own first. */
export function forkLicences(parent: string): readonly string[] {
  licence(parent);
  const rule = FORK_RULES[parent];
  if (rule === undefined) throw new Error(`no fork rule for licence ${parent}`);
  return [parent, ...rule.children.filter((c) => c !== parent)];
}

/** Throws `COBREW_ERR_LICENCE_INCOMPATIBLE` with the reason when a fork may not take `child`. */
export function checkForkLicence(parent: string, child: string): void {
  licence(child);
  const allowed = forkLicences(parent);
  if (!allowed.includes(child)) {
    throw new LicenceIncompatibleError(parent, child, (FORK_RULES[parent] as ForkRule).reason, allowed);
  }
}
