// Hardware in commons bundles: every hardware contribution with all its versions, their lineage, licence and
// origin, under the bundle's optional `hardware` key (a bundle without hardware is as before). Imported
// contributions keep their authors and the space they came from, which alone adds versions to them; a
// board profile is checked as it would be if shared here.
import { type Static, Type as T } from '@sinclair/typebox';
import {
  checkHardwareDocument,
  type HardwareRow,
  type HardwareVersionRow,
  hardwareOnceKey,
} from './hardware.js';
import { HARDWARE_KINDS } from './hardware-kinds.js';
import { checkDerivedLicence, hardwareLicence } from './hardware-licences.js';
import { SPACE_ID_PATTERN } from './space-key.js';
import type { CommonsStore } from './store.js';

const Uuid = T.String({ pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' });
const Name = T.String({ minLength: 1, maxLength: 200 });
const Time = T.Integer({ minimum: 0 });

export const BundleHardwareSchema = T.Object(
  {
    id: Uuid,
    kind: T.Union(HARDWARE_KINDS.map((k) => T.Literal(k))),
    licence: T.String({ minLength: 1 }),
    owner: Name,
    createdAt: Time,
    /** The space it was made in: only that space's signed bundles add versions to it. */
    origin: T.Object(
      {
        id: T.String({ pattern: SPACE_ID_PATTERN }),
        name: Name,
        url: T.Union([T.String({ pattern: '^https?://[^\\s<>"]+$', maxLength: 500 }), T.Null()]),
      },
      { additionalProperties: false },
    ),
    versions: T.Array(
      T.Object(
        {
          id: Uuid,
          number: T.Integer({ minimum: 1 }),
          parentId: T.Union([Uuid, T.Null()]),
          author: Name,
          createdAt: Time,
          title: T.String({ minLength: 1, maxLength: 200 }),
          note: T.String({ maxLength: 100_000 }),
          sha256: T.String({ pattern: '^[0-9a-f]{64}$' }),
          /** A board profile (as board.custom in cobrew.yaml) or a reference-board document. */
          document: T.Unknown(),
        },
        { additionalProperties: false },
      ),
      { minItems: 1 },
    ),
  },
  { additionalProperties: false },
);
export type BundleHardware = Static<typeof BundleHardwareSchema>;

export function exportHardware(store: CommonsStore): BundleHardware[] {
  return store.hardware.list().map((hw) => ({
    id: hw.id,
    kind: hw.kind,
    licence: hw.licence,
    owner: hw.owner,
    createdAt: hw.createdAt,
    origin: { id: hw.origin.id ?? store.space.id, name: hw.origin.name, url: hw.origin.url },
    versions: hw.versions.map((v) => ({
      id: v.id,
      number: v.number,
      parentId: v.parentId,
      author: v.author,
      createdAt: v.createdAt,
      title: v.title,
      note: v.note,
      sha256: v.sha256,
      document: v.document,
    })),
  }));
}

export interface HardwareImport {
  added: number;
  known: number;
}

/**
 * Adds what is new of the bundle's hardware, in the caller's transaction. Versions held here must be the
 * same; a derived contribution's parent must be here or earlier in the bundle, under a licence it allows.
 */
export function importHardware(
  store: CommonsStore,
  items: readonly BundleHardware[],
  opts: { ledger: boolean; from: string },
  invalid: (problem: string) => Error,
  conflict: (problem: string) => Error,
  origins: {
    /** Refuses an origin the signer may not speak for (see bundle-import.ts). */
    check: (origin: { id: string; name: string }, what: string) => void;
    /** A person of the origin space as named here. */
    person: (name: string, originId: string) => string;
    /** Refuses versions added by someone other than the contribution's own space. */
    refused: (problem: string) => Error;
    /** The space that signed the bundle. */
    signer: { id: string; name: string };
  },
): HardwareImport {
  const db = store.db;
  const counts = { added: 0, known: 0 };
  const findHw = db.prepare('SELECT * FROM hardware WHERE id = ?');
  const findVersion = db.prepare('SELECT * FROM hardware_versions WHERE id = ?');
  for (const hw of parentsFirst(items)) {
    try {
      hardwareLicence(hw.licence);
    } catch (err) {
      throw invalid(`hardware ${hw.id}: ${(err as Error).message}`);
    }
    const held = findHw.get(hw.id) as HardwareRow | undefined;
    if (held === undefined) {
      origins.check(hw.origin, `hardware ${hw.id}`);
      db.prepare(
        `INSERT INTO hardware (id, kind, licence, owner, created_at, origin_id, origin_name, origin_url)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        hw.id,
        hw.kind,
        hw.licence,
        origins.person(hw.owner, hw.origin.id),
        hw.createdAt,
        hw.origin.id,
        hw.origin.name,
        hw.origin.url,
      );
    } else if (held.kind !== hw.kind || held.licence !== hw.licence) {
      throw conflict(`hardware ${hw.id} is a ${held.kind} under ${held.licence} here`);
    }
    hw.versions.forEach((v, i) => {
      if (v.number !== i + 1) throw invalid(`hardware ${hw.id}: its versions must be numbered 1, 2, 3…`);
      const previous = hw.versions[i - 1];
      if (previous !== undefined && v.parentId !== previous.id) {
        throw invalid(`hardware version ${v.id} must have the previous version as its parent`);
      }
      let checked: { text: string; sha256: string };
      try {
        checked = checkHardwareDocument(hw.kind, v.document, store.checkBoardProfile);
      } catch (err) {
        throw invalid(`hardware version ${v.id}: ${(err as Error).message}`);
      }
      if (checked.sha256 !== v.sha256) {
        throw invalid(
          `hardware version ${v.id}: its document does not match its sha256 (altered in transit)`,
        );
      }
      const heldVersion = findVersion.get(v.id) as HardwareVersionRow | undefined;
      if (heldVersion !== undefined) {
        if (
          heldVersion.sha256 !== v.sha256 ||
          heldVersion.hardware_id !== hw.id ||
          heldVersion.number !== v.number
        ) {
          throw conflict(`hardware version ${v.id} differs from the copy held here`);
        }
        counts.known++;
        return;
      }
      if (held !== undefined && held.origin_name === null) {
        throw conflict(`hardware ${hw.id} was made here, and the bundle adds version ${v.number} to it`);
      }
      if (held !== undefined && held.origin_id !== origins.signer.id) {
        throw origins.refused(
          `hardware ${hw.id} was made in ${held.origin_name} (${held.origin_id ?? 'unknown'}); a bundle signed by ` +
            `${origins.signer.name} (${origins.signer.id}) cannot add version ${v.number} to it`,
        );
      }
      const author = origins.person(v.author, hw.origin.id);
      if (i === 0 && v.parentId !== null) {
        const parent = findVersion.get(v.parentId) as HardwareVersionRow | undefined;
        if (parent === undefined) {
          throw invalid(
            `hardware ${hw.id} was derived from ${v.parentId}, which is neither here nor earlier in the bundle`,
          );
        }
        const parentLicence = (findHw.get(parent.hardware_id) as HardwareRow).licence;
        try {
          checkDerivedLicence(parentLicence, hw.licence);
        } catch (err) {
          throw invalid(`hardware ${hw.id}: ${(err as Error).message}`);
        }
      }
      db.prepare(
        `INSERT INTO hardware_versions (id, hardware_id, number, parent_id, author, created_at, title, note, document, sha256)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(v.id, hw.id, v.number, v.parentId, author, v.createdAt, v.title, v.note, checked.text, v.sha256);
      if (opts.ledger) {
        store.ledger.record({
          contributor: author,
          kind: 'hardware',
          at: v.createdAt,
          reference: `hardware ${hw.id} v${v.number}, bundle from ${opts.from}`,
          note: v.title,
          space: hw.origin.name,
          recordedBy: 'cobrew',
          onceKey: hardwareOnceKey(v.id),
        });
      }
      counts.added++;
    });
  }
  return counts;
}

/** The items with every contribution after the one in the bundle it was derived from (cycles left as they are, refused then). */
function parentsFirst(items: readonly BundleHardware[]): BundleHardware[] {
  const ownerOf = new Map<string, BundleHardware>();
  for (const hw of items) for (const v of hw.versions) ownerOf.set(v.id, hw);
  const placed = new Set<BundleHardware>();
  const out: BundleHardware[] = [];
  const visit = (hw: BundleHardware, depth: number) => {
    if (placed.has(hw) || depth > items.length) return;
    const parentId = hw.versions[0]?.parentId;
    const parent = parentId === null || parentId === undefined ? undefined : ownerOf.get(parentId);
    if (parent !== undefined && parent !== hw) visit(parent, depth + 1);
    if (placed.has(hw)) return;
    placed.add(hw);
    out.push(hw);
  };
  for (const hw of items) visit(hw, 0);
  return out;
}
