// The open hardware licences a board profile or a reference-board document may carry (CERN OHL v2, by SPDX
// id), and which a contribution derived from another may take: the strongly reciprocal S keeps S, the weakly
// reciprocal W keeps W or goes to S, the permissive P allows any.
import { HardwareLicenceError } from './hardware-errors.js';

export interface HardwareLicence {
  id: string;
  name: string;
  url: string;
  /** The licences a derived contribution may take. */
  derived: readonly string[];
}

export const DEFAULT_HARDWARE_LICENCE = 'CERN-OHL-S-2.0';

export const HARDWARE_LICENCES: readonly HardwareLicence[] = [
  {
    id: 'CERN-OHL-S-2.0',
    name: 'CERN Open Hardware Licence Version 2 – Strongly Reciprocal',
    url: 'https://ohwr.org/cern_ohl_s_v2.txt',
    derived: ['CERN-OHL-S-2.0'],
  },
  {
    id: 'CERN-OHL-W-2.0',
    name: 'CERN Open Hardware Licence Version 2 – Weakly Reciprocal',
    url: 'https://ohwr.org/cern_ohl_w_v2.txt',
    derived: ['CERN-OHL-W-2.0', 'CERN-OHL-S-2.0'],
  },
  {
    id: 'CERN-OHL-P-2.0',
    name: 'CERN Open Hardware Licence Version 2 – Permissive',
    url: 'https://ohwr.org/cern_ohl_p_v2.txt',
    derived: ['CERN-OHL-P-2.0', 'CERN-OHL-W-2.0', 'CERN-OHL-S-2.0'],
  },
];

const ids = () => HARDWARE_LICENCES.map((l) => l.id).join(', ');

export function hardwareLicence(id: string): HardwareLicence {
  const found = HARDWARE_LICENCES.find((l) => l.id === id);
  if (found === undefined) throw new HardwareLicenceError(id, '', ids());
  return found;
}

/** Throws COBREW_ERR_HARDWARE_LICENCE when a contribution derived from a `parent`-licensed one may not take `child`. */
export function checkDerivedLicence(parent: string, child: string): void {
  hardwareLicence(child);
  const allowed = hardwareLicence(parent).derived;
  if (!allowed.includes(child)) {
    throw new HardwareLicenceError(child, ` when derived from a ${parent} contribution`, allowed.join(', '));
  }
}
