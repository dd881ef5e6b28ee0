// Saved fermentation profiles, on the server and shared in the commons like recipes: immutable numbered
// versions, a licence, every author credited, and each version a `profile` contribution in the ledger.
import { randomUUID } from 'node:crypto';
import type { Ledger } from '../ledger/ledger.js';
import { onceKey } from '../ledger/ledger.js';
import type { Db } from './db.js';
import { ChangeNoteMissingError, ForbiddenError, ProfileNotFoundError } from './errors.js';
import { DEFAULT_LICENCE, licence } from './licences.js';
import type { BatchStep, ProfileVersion, SavedProfile, Viewer } from './types.js';

export interface ProfileHost {
  readonly db: Db;
  readonly clock: { now(): number };
  readonly ledger: Ledger;
}

export interface NewProfile {
  title: string;
  steps: BatchStep[];
  licence?: string;
  note?: string;
}

interface VersionRow {
  id: string;
  profile_id: string;
  number: number;
  author: string;
  created_at: number;
  title: string;
  note: string;
  steps: string;
}

const toVersion = (r: VersionRow): ProfileVersion => ({
  id: r.id,
  profileId: r.profile_id,
  number: r.number,
  author: r.author,
  createdAt: r.created_at,
  title: r.title,
  note: r.note,
  steps: JSON.parse(r.steps) as BatchStep[],
});

export class Profiles {
  readonly #host: ProfileHost;

  constructor(host: ProfileHost) {
    this.#host = host;
  }

  get #db() {
    return this.#host.db;
  }

  /** A new saved profile with its first version; the viewer owns it. */
  create(input: NewProfile, viewer: Viewer): SavedProfile {
    const licenceId = input.licence ?? DEFAULT_LICENCE;
    licence(licenceId);
    const id = randomUUID();
    this.#db.transaction(() => {
      this.#db
        .prepare('INSERT INTO profiles (id, licence, owner, created_at) VALUES (?, ?, ?, ?)')
        .run(id, licenceId, viewer.name, this.#host.clock.now());
      this.#insertVersion(id, 1, input.title, input.steps, input.note ?? '', viewer.name);
    })();
    return this.get(id);
  }

  /** A new version (its owner or an admin), saying what changed. */
  addVersion(id: string, input: NewProfile & { note: string }, viewer: Viewer): SavedProfile {
    const profile = this.get(id);
    if (profile.owner !== viewer.name && !viewer.admin) {
      throw new ForbiddenError(
        `Only ${profile.owner} (who saved it) or an admin may add versions to profile ${id}.`,
      );
    }
    if (input.note.trim() === '') throw new ChangeNoteMissingError();
    this.#db.transaction(() =>
      this.#insertVersion(id, profile.versions.length + 1, input.title, input.steps, input.note, viewer.name),
    )();
    return this.get(id);
  }

  get(id: string): SavedProfile {
    const row = this.#db.prepare('SELECT * FROM profiles WHERE id = ?').get(id) as
      | { id: string; licence: string; owner: string; created_at: number }
      | undefined;
    if (row === undefined) throw new ProfileNotFoundError(id);
    const versions = (
      this.#db
        .prepare('SELECT * FROM profile_versions WHERE profile_id = ? ORDER BY number')
        .all(id) as VersionRow[]
    ).map(toVersion);
    return {
      id: row.id,
      licence: row.licence,
      owner: row.owner,
      createdAt: row.created_at,
      title: versions.at(-1)?.title ?? '',
      versions,
      authors: [...new Set(versions.map((v) => v.author))],
    };
  }

  list(): SavedProfile[] {
    const ids = this.#db.prepare('SELECT id FROM profiles ORDER BY created_at DESC, id').all() as {
      id: string;
    }[];
    return ids.map(({ id }) => this.get(id));
  }

  version(versionId: string): ProfileVersion {
    const row = this.#db.prepare('SELECT * FROM profile_versions WHERE id = ?').get(versionId) as
      | VersionRow
      | undefined;
    if (row === undefined) throw new ProfileNotFoundError(versionId);
    return toVersion(row);
  }

  #insertVersion(
    profileId: string,
    number: number,
    title: string,
    steps: BatchStep[],
    note: string,
    author: string,
  ) {
    const id = randomUUID();
    this.#db
      .prepare(
        `INSERT INTO profile_versions (id, profile_id, number, author, created_at, title, note, steps)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, profileId, number, author, this.#host.clock.now(), title, note, JSON.stringify(steps));
    this.#host.ledger.record({
      contributor: author,
      kind: 'profile',
      reference: `profile ${profileId} v${number}`,
      note: title,
      recordedBy: 'cobrew',
      onceKey: onceKey.profile(id),
    });
  }
}
