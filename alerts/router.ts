// The router: raised and cleared conditions become alerts, and alerts become queued messages to people.
// Who: the batch's owner and co-brewers and whoever is on duty; unacknowledged, the next on the rota, then
// the admins. The space's own health and failing channels go to the admins at once. The space's default
// channels (the SPACE recipient) carry every message to the admins, and those of anyone with no channel. A condition that comes back within groupSeconds is the same alert, and its end is told once,
// after it stayed clear that long. Warnings wait out a person's quiet hours. Everything it decides is
// written to the store in one transaction, so a restart resumes where it was.
import { randomUUID } from 'node:crypto';
import type { Clock } from '../common/clock.js';
import { ackToken } from './ack-link.js';
import type { AlertsSettings, RotaSlot } from './config-schema.js';
import type { Contact, SpaceDefaults } from './contact-schema.js';
import { AlertChannelUnsetError } from './errors.js';
import { render } from './messages.js';
import { type AlertKind, CHANNEL_KINDS, type ChannelKind, type Condition, type Transition } from './model.js';
import { inQuietHours, nextOnRota, onDuty, quietEnd } from './rota.js';
import type { AlertRecord, AlertStore, OutgoingMessage, Purpose } from './store.js';

/** The recipient standing for the space's default channels; no account name starts with @. */
export const SPACE = '@space';

/** The space's own health: the admins look after it, not whoever watches the beer. */
const SPACE_HEALTH: ReadonlySet<AlertKind> = new Set([
  'history-failing',
  'mirror-failing',
  'disk-full',
  'backup-failing',
]);
/** Alerts told to the admins from the start: nobody above them to escalate to. */
const TOP = 2;

/** Who brews what is in a fermenter: the application answers from the batches; `noOwners` says nobody does. */
export interface OwnerDirectory {
  ownersOf(fermenterId: string): { owner: string | null; coBrewers: string[] };
}
export const noOwners: OwnerDirectory = { ownersOf: () => ({ owner: null, coBrewers: [] }) };

/** The dashboard's people, as far as alerts need them. */
export interface PeopleDirectory {
  admins(): string[];
}

/** Where acknowledgements are recorded for people to see (the dashboard's audit log and chart). */
export interface AckAudit {
  acknowledged(entry: { user: string; alert: AlertRecord; via: 'dashboard' | 'link' }): void;
}

export interface RouterOptions {
  settings: AlertsSettings;
  store: AlertStore;
  clock: Clock;
  owners: OwnerDirectory;
  people: PeopleDirectory;
  audit?: AckAudit;
  /** Told when new messages are queued, so the dispatcher looks at once. */
  onQueued?: () => void;
}

export class AlertRouter {
  readonly #o: RouterOptions;
  readonly #secret: Buffer;

  constructor(opts: RouterOptions) {
    this.#o = opts;
    this.#secret = opts.store.ackSecret();
  }

  /** The rota: as admins saved it in the dashboard, otherwise cobrew.yaml's. */
  rota(): RotaSlot[] {
    return this.#o.store.savedRota() ?? this.#o.settings.rota;
  }

  /** The space's default channels: as admins saved them in the dashboard, otherwise cobrew.yaml's. */
  defaults(): SpaceDefaults {
    return this.#o.store.savedDefaults() ?? this.#o.settings.defaults;
  }

  /** Where a recipient's messages go: their own settings, or the space's defaults for SPACE. */
  contactOf(user: string): Contact {
    if (user !== SPACE) return this.#o.store.contact(user);
    const d = this.defaults();
    return { lang: d.lang, quietHours: null, channels: d.channels };
  }

  apply(transitions: readonly Transition[]): void {
    if (transitions.length === 0) return;
    let queued = 0;
    this.#o.store.transaction(() => {
      for (const t of transitions)
        queued += t.type === 'raise' ? this.#raise(t.condition) : this.#clear(t.key, t.at);
    });
    if (queued > 0) this.#o.onQueued?.();
  }

  /** Escalations and resolutions that are due. */
  tick(): void {
    const now = this.#o.clock.now();
    let queued = 0;
    this.#o.store.transaction(() => {
      for (const a of this.#o.store.liveAlerts()) {
        if (
          a.status === 'clearing' &&
          a.clearedAt !== null &&
          now - a.clearedAt >= this.#o.settings.groupSeconds * 1000
        ) {
          this.#o.store.updateAlert(a.id, { status: 'resolved', resolvedAt: now, nextEscalationAt: null });
          if (a.notifyResolved) queued += this.#tell(a, a.told, 'resolve', 0, a.level >= TOP);
        } else if (
          a.status === 'open' &&
          a.ackedAt === null &&
          a.nextEscalationAt !== null &&
          now >= a.nextEscalationAt
        ) {
          queued += this.#escalate(a, now);
        }
      }
    });
    if (queued > 0) this.#o.onQueued?.();
  }

  /** Stops its escalation; recorded with who and how. False when it was acknowledged before. */
  acknowledge(alertId: string, user: string, via: 'dashboard' | 'link'): AlertRecord | null {
    const a = this.#o.store.alert(alertId);
    if (a === null) return null;
    if (a.ackedAt !== null) return a;
    const now = this.#o.clock.now();
    this.#o.store.updateAlert(a.id, { ackedBy: user, ackedAt: now, ackedVia: via, nextEscalationAt: null });
    const acked = this.#o.store.alert(alertId) as AlertRecord;
    this.#o.audit?.acknowledged({ user, alert: acked, via });
    return acked;
  }

  /**
   * A test message to one person, on one channel or all theirs; returns the alert it was filed under.
   * Throws COBREW_ERR_ALERT_NO_CHANNEL, and files nothing, when the person has no such channel.
   */
  test(user: string, channel?: ChannelKind): { alert: AlertRecord; queued: number } {
    const now = this.#o.clock.now();
    let alert!: AlertRecord;
    let queued = 0;
    this.#o.store.transaction(() => {
      alert = this.#o.store.insertAlert(
        {
          key: `test:${user}:${now}`,
          kind: 'test',
          severity: 'info',
          fermenterId: null,
          facts: { detail: `→ ${user}` },
          at: now,
          notifyResolved: false,
        },
        randomUUID(),
      );
      queued = this.#tell(alert, [user], 'test', 0, false, channel);
      // Nothing to send it on: no trace of it either.
      if (queued === 0) throw new AlertChannelUnsetError(user, channel ?? 'channel');
      this.#o.store.updateAlert(alert.id, { status: 'resolved', resolvedAt: now, told: [user] });
    });
    if (queued > 0) this.#o.onQueued?.();
    return { alert: this.#o.store.alert(alert.id) as AlertRecord, queued };
  }

  /** A channel gave up on a message: the person and the admins hear it through their other channels. */
  channelFailed(user: string, channel: ChannelKind, error: string): void {
    this.apply([
      {
        type: 'raise',
        condition: {
          key: `channel-failing:${user}:${channel}`,
          kind: 'channel-failing',
          severity: 'warning',
          fermenterId: null,
          facts: { detail: `${user} – ${channel}: ${error}`.slice(0, 500) },
          at: this.#o.clock.now(),
          notifyResolved: true,
        },
      },
    ]);
  }

  channelWorked(user: string, channel: ChannelKind): void {
    if (this.#o.store.live(`channel-failing:${user}:${channel}`) !== null)
      this.apply([{ type: 'clear', key: `channel-failing:${user}:${channel}`, at: this.#o.clock.now() }]);
  }

  #raise(c: Condition): number {
    const live = this.#o.store.live(c.key);
    if (live !== null) {
      // Flapping: the same alert comes back; no new message.
      if (live.status === 'clearing')
        this.#o.store.updateAlert(live.id, { status: 'open', clearedAt: null, flaps: live.flaps + 1 });
      return 0;
    }
    const alert = this.#o.store.insertAlert(c, randomUUID());
    const { people, level } = this.#recipients(alert);
    const escalates = c.severity !== 'info' && c.kind !== 'test' && level < TOP;
    this.#o.store.updateAlert(alert.id, {
      told: people,
      level,
      nextEscalationAt: escalates ? c.at + this.#o.settings.escalateAfterMinutes * 60_000 : null,
    });
    return this.#tell(alert, people, 'raise', 0, level >= TOP);
  }

  #clear(key: string, at: number): number {
    const live = this.#o.store.live(key);
    if (live === null || live.status !== 'open') return 0;
    this.#o.store.updateAlert(live.id, { status: 'clearing', clearedAt: at });
    return 0;
  }

  /** The first people told, and the escalation level that makes: 0 owners and duty, TOP the admins. */
  #recipients(a: AlertRecord): { people: string[]; level: number } {
    const admins = this.#o.people.admins();
    if (a.kind === 'channel-failing') {
      // The person hears it on their other channels, the admins on theirs.
      const user = a.key.split(':')[1];
      return { people: [...new Set([...(user === undefined ? [] : [user]), ...admins])], level: TOP };
    }
    if (SPACE_HEALTH.has(a.kind)) return { people: admins, level: TOP };
    const people: string[] = [];
    if (a.fermenterId !== null) {
      const { owner, coBrewers } = this.#o.owners.ownersOf(a.fermenterId);
      if (owner !== null) people.push(owner);
      people.push(...coBrewers);
    }
    people.push(...onDuty(this.rota(), a.raisedAt, this.#o.settings.timeZone));
    return people.length > 0 ? { people: [...new Set(people)], level: 0 } : { people: admins, level: TOP };
  }

  #escalate(a: AlertRecord, now: number): number {
    const told = new Set(a.told);
    let next: string[] = [];
    let level = a.level + 1;
    if (a.level === 0) {
      const user = nextOnRota(this.rota(), told, onDuty(this.rota(), now, this.#o.settings.timeZone));
      if (user !== null) next = [user];
      else level = 2;
    }
    if (level >= TOP) next = this.#o.people.admins().filter((u) => !told.has(u));
    const more = level < TOP;
    this.#o.store.updateAlert(a.id, {
      level,
      told: [...told, ...next],
      nextEscalationAt: more ? now + this.#o.settings.escalateAfterMinutes * 60_000 : null,
    });
    return this.#tell({ ...a, level }, next, 'escalate', level, level >= TOP);
  }

  /**
   * Queues the message for each person on each of their channels (or the one asked); someone with no
   * channel of their own, and the admins as such (`toAdmins`), are reached through the space's defaults,
   * once however many they are. A test goes only where it was asked.
   */
  #tell(
    a: AlertRecord,
    users: readonly string[],
    purpose: Purpose,
    level: number,
    toAdmins: boolean,
    only?: ChannelKind,
  ): number {
    const now = this.#o.clock.now();
    const base = this.#o.settings.publicUrl;
    const link =
      a.fermenterId === null ? `${base}#/alerts` : `${base}#/fermenters/${encodeURIComponent(a.fermenterId)}`;
    let queued = 0;
    const targets = new Set<string>();
    for (const user of users) {
      const own = purpose === 'test' || Object.keys(this.contactOf(user).channels).length > 0;
      targets.add(own ? user : SPACE);
    }
    if (toAdmins) targets.add(SPACE);
    for (const user of targets) {
      const contact = this.contactOf(user);
      const quiet = contact.quietHours ?? this.#o.settings.quietHours;
      // Critical alerts go through at any hour; the rest wait until the person's quiet hours end.
      const nextAt =
        a.severity !== 'critical' && purpose !== 'test' && inQuietHours(quiet, now, this.#o.settings.timeZone)
          ? quietEnd(quiet, now, this.#o.settings.timeZone)
          : now;
      const words = render({
        kind: a.kind,
        severity: a.severity,
        fermenterId: a.fermenterId,
        facts: a.facts,
        purpose,
        lang: contact.lang,
      });
      const ackUrl =
        purpose === 'raise' || purpose === 'escalate'
          ? `${base}api/alerts/ack?t=${ackToken(this.#secret, { alertId: a.id, user, expiresAt: now + this.#o.settings.ackLinkHours * 3_600_000 })}`
          : null;
      const message: OutgoingMessage = {
        alertId: a.id,
        purpose,
        kind: a.kind,
        severity: a.severity,
        fermenterId: a.fermenterId,
        lang: contact.lang,
        ...words,
        link,
        ackUrl,
        at: now,
      };
      for (const channel of CHANNEL_KINDS) {
        if (contact.channels[channel] === undefined || (only !== undefined && channel !== only)) continue;
        // A failing channel's own alert goes only through the others.
        if (a.kind === 'channel-failing' && a.key === `channel-failing:${user}:${channel}`) continue;
        const idemKey = `${a.id}:${purpose}:${level}:${user}:${channel}`;
        if (
          this.#o.store.enqueue({
            idemKey,
            alertId: a.id,
            user,
            channel,
            purpose,
            message,
            nextAt,
            createdAt: now,
          })
        )
          queued += 1;
      }
    }
    return queued;
  }
}
