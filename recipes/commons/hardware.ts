// Hardware in the commons, shared like recipes: board profiles (what a board's relays, SSR and supply can
// take, as a custom profile in cobrew.yaml declares it) and reference-board documents. Each is versioned
// (versions never change), carries an open hardware licence, credits every author, records the
// contribution it was derived from, and each version is a `hardware` contribution in the ledger.
//
// A board profile's ratings are firmware-bridge's business: this module keeps the document as checked JSON
// (by the checker the application hands in, firmware-bridge's schema), and the rating check applies where
// the profile is used (cobrew.yaml's board.custom.fromCommons).
import { randomUUID } from 'node:crypto';
import { type Static, Type as T } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { Ledger } from '../ledger/ledger.js';
import type { Db } from './db.js';
import { sha256 } from './document.js';
import { ChangeNoteMissingError, ForbiddenError, NotHomeSpaceError } from './errors.js';
import { HardwareDocumentError, HardwareNotFoundError } from './hardware-errors.js';
import type { HardwareKind } from './hardware-kinds.js';
import { checkDerivedLicence, DEFAULT_HARDWARE_LICENCE, hardwareLicence } from './hardware-licences.js';
import type { Origin, Viewer } from './types.js';

/** A board profile or a reference board's description is a few kilobytes; this is far above. */
export const MAX_HARDWARE_DOCUMENT_CHARS = 200_000;

export const ReferenceBoardDocumentSchema = T.Object(
  {
    summary: T.String({
      minLength: 1,
      maxLength: 2000,
      description: 'What the board is, in a sentence or two',
    }),
    text: T.String({ maxLength: 100_000, description: 'How to build it: parts, wiring, checks (Markdown)' }),
    links: T.Array(
      T.Object(
        {
          label: T.String({ minLength: 1, maxLength: 200 }),
          url: T.String({ pattern: '^https?://[^\\s<>"]+$', maxLength: 500 }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 50, default: [], description: 'Schematics, layouts, bills of materials' },
    ),
    boardProfile: T.Optional(
      T.String({ maxLength: 64, description: 'The board profile it implements, e.g. ref-uno-r1' }),
    ),
  },
  { additionalProperties: false },
);
export type ReferenceBoardDocument = Static<typeof ReferenceBoardDocumentSchema>;

/** Checks a board profile document; returns its problems, one line each (none: it is a profile). */
export type BoardProfileCheck = (document: unknown) => string[];

export interface HardwareHost {
  readonly db: Db;
  readonly clock: { now(): number };
  readonly ledger: Ledger;
  readonly space: Origin;
  readonly checkBoardProfile: BoardProfileCheck | undefined;
}

export interface NewHardware {
  kind: HardwareKind;
  title: string;
  document: unknown;
  licence?: string;
  note?: string;
  /** The hardware version this one was derived from (another space's board profile, say). */
  derivedFrom?: string;
}

export interface HardwareVersion {
  id: string;
  hardwareId: string;
  number: number;
  parentId: string | null;
  author: string;
  createdAt: number;
  title: string;
  note: string;
  sha256: string;
  document: unknown;
}

export interface Hardware {
  id: string;
  kind: HardwareKind;
  licence: string;
  owner: string;
  createdAt: number;
  origin: Origin;
  /** Made in this space: only here are versions added to it. */
  local: boolean;
  title: string;
  /** Oldest first. */
  versions: HardwareVersion[];
  /** Everyone who wrote a version, in order of first contribution. */
  authors: string[];
  /** The contribution its first version was derived from. */
  derivedFrom: { hardwareId: string; versionId: string; number: number; title: string } | null;
}

export interface HardwareRow {
  id: string;
  kind: HardwareKind;
  licence: string;
  owner: string;
  created_at: number;
  origin_id: string | null;
  origin_name: string | null;
  origin_url: string | null;
}

export interface HardwareVersionRow {
  id: string;
  hardware_id: string;
  number: number;
  parent_id: string | null;
  author: string;
  created_at: number;
  title: string;
  note: string;
  document: string;
  sha256: string;
}

const toVersion = (r: HardwareVersionRow): HardwareVersion => ({
  id: r.id,
  hardwareId: r.hardware_id,
  number: r.number,
  parentId: r.parent_id,
  author: r.author,
  createdAt: r.created_at,
  title: r.title,
  note: r.note,
  sha256: r.sha256,
  document: JSON.parse(r.document),
});

export const hardwareOnceKey = (versionId: string) => `hardware:${versionId}`;

/** The document as stored: checked for its kind, as JSON text with its hash. */
export function checkHardwareDocument(
  kind: HardwareKind,
  document: unknown,
  checkBoardProfile: BoardProfileCheck | undefined,
): { text: string; sha256: string } {
  const what = kind === 'board-profile' ? 'board profile' : 'reference board';
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new HardwareDocumentError(what, 'send a JSON object.');
  }
  const problems =
    kind === 'reference-board'
      ? [...Value.Errors(ReferenceBoardDocumentSchema, document)].map(
          (e) => `${e.path === '' ? '(top level)' : e.path}: ${e.message}`,
        )
      : (checkBoardProfile?.(document) ?? []);
  if (problems.length > 0) {
    const fix =
      kind === 'board-profile'
        ? 'write it as board.custom is written in cobrew.yaml (docs/boards.md)'
        : 'give a summary, a text and links';
    throw new HardwareDocumentError(what, `${problems.slice(0, 10).join('; ')}. Fix: ${fix}.`);
  }
  const text = JSON.stringify(document);
  if (text.length > MAX_HARDWARE_DOCUMENT_CHARS) {
    throw new HardwareDocumentError(
      what,
      `it is ${text.length} characters, more than ${MAX_HARDWARE_DOCUMENT_CHARS}.`,
    );
  }
  return { text, sha256: sha256(text) };
}

export class HardwareCommons {
  readonly #host: HardwareHost;

  constructor(host: HardwareHost) {
    this.#host = host;
  }

  get #db() {
    return this.#host.db;
  }

  /** A new contribution with its first version; the viewer owns it. */
  create(input: NewHardware, viewer: Viewer): Hardware {
    const licenceId = input.licence ?? DEFAULT_HARDWARE_LICENCE;
    hardwareLicence(licenceId);
    let parentId: string | null = null;
    if (input.derivedFrom !== undefined) {
      const parent = this.version(input.derivedFrom);
      const parentHw = this.get(parent.hardwareId);
      if (parentHw.kind !== input.kind) {
        throw new HardwareDocumentError(
          input.kind,
          `it is derived from ${parentHw.kind} ${parentHw.id}; derive a ${input.kind} from one of its kind.`,
        );
      }
      checkDerivedLicence(parentHw.licence, licenceId);
      parentId = parent.id;
    }
    const checked = checkHardwareDocument(input.kind, input.document, this.#host.checkBoardProfile);
    const id = randomUUID();
    this.#db.transaction(() => {
      this.#db
        .prepare(
          `INSERT INTO hardware (id, kind, licence, owner, created_at, origin_name, origin_url)
           VALUES (?, ?, ?, ?, ?, NULL, NULL)`,
        )
        .run(id, input.kind, licenceId, viewer.name, this.#host.clock.now());
      this.#insert(id, 1, parentId, input.title, checked, input.note ?? '', viewer.name);
    })();
    return this.get(id);
  }

  /** A new version of a contribution made here (its owner or an admin), saying what changed. */
  addVersion(
    id: string,
    input: { title: string; document: unknown; note: string },
    viewer: Viewer,
  ): Hardware {
    const hw = this.get(id);
    if (!hw.local) throw new NotHomeSpaceError(id, hw.origin.name);
    if (hw.owner !== viewer.name && !viewer.admin) {
      throw new ForbiddenError(
        `Only ${hw.owner} (who shared it) or an admin may add versions to hardware ${id}; derive your own from it.`,
      );
    }
    if (input.note.trim() === '') throw new ChangeNoteMissingError();
    const checked = checkHardwareDocument(hw.kind, input.document, this.#host.checkBoardProfile);
    this.#db
      .transaction(() => {
        const latest = this.#db
          .prepare(
            'SELECT id, number FROM hardware_versions WHERE hardware_id = ? ORDER BY number DESC LIMIT 1',
          )
          .get(id) as { id: string; number: number };
        this.#insert(id, latest.number + 1, latest.id, input.title, checked, input.note, viewer.name);
      })
      .immediate();
    return this.get(id);
  }

  get(id: string): Hardware {
    const row = this.#db.prepare('SELECT * FROM hardware WHERE id = ?').get(id) as HardwareRow | undefined;
    if (row === undefined) throw new HardwareNotFoundError(id);
    const versions = (
      this.#db
        .prepare('SELECT * FROM hardware_versions WHERE hardware_id = ? ORDER BY number')
        .all(id) as HardwareVersionRow[]
    ).map(toVersion);
    const firstParent = versions[0]?.parentId ?? null;
    const parent = firstParent === null ? null : this.version(firstParent);
    return {
      id: row.id,
      kind: row.kind,
      licence: row.licence,
      owner: row.owner,
      createdAt: row.created_at,
      origin:
        row.origin_name === null
          ? this.#host.space
          : { id: row.origin_id, name: row.origin_name, url: row.origin_url },
      local: row.origin_name === null,
      title: versions.at(-1)?.title ?? '',
      versions,
      authors: [...new Set(versions.map((v) => v.author))],
      derivedFrom:
        parent === null
          ? null
          : {
              hardwareId: parent.hardwareId,
              versionId: parent.id,
              number: parent.number,
              title: parent.title,
            },
    };
  }

  list(kind?: HardwareKind): Hardware[] {
    const rows = this.#db
      .prepare('SELECT id FROM hardware WHERE @kind IS NULL OR kind = @kind ORDER BY created_at, rowid')
      .all({ kind: kind ?? null }) as { id: string }[];
    return rows.map(({ id }) => this.get(id));
  }

  version(versionId: string): HardwareVersion {
    const row = this.#db.prepare('SELECT * FROM hardware_versions WHERE id = ?').get(versionId) as
      | HardwareVersionRow
      | undefined;
    if (row === undefined) throw new HardwareNotFoundError(versionId);
    return toVersion(row);
  }

  #insert(
    hardwareId: string,
    number: number,
    parentId: string | null,
    title: string,
    doc: { text: string; sha256: string },
    note: string,
    author: string,
  ): void {
    const id = randomUUID();
    const at = this.#host.clock.now();
    this.#db
      .prepare(
        `INSERT INTO hardware_versions (id, hardware_id, number, parent_id, author, created_at, title, note, document, sha256)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, hardwareId, number, parentId, author, at, title, note, doc.text, doc.sha256);
    this.#host.ledger.record({
      contributor: author,
      kind: 'hardware',
      at,
      reference: `hardware ${hardwareId} v${number}`,
      note: title,
      recordedBy: 'cobrew',
      onceKey: hardwareOnceKey(id),
    });
  }
}
