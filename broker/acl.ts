// What each role may publish and read on the embedded broker. Topics and filters are compared level by
// level with MQTT's own rules, and a wildcard never matches a first level starting with `$` (MQTT 4.7.2),
// so no role reaches `$SYS`: no pattern below names it.

export const ROLES = ['bridge', 'service', 'viewer', 'ispindel'] as const;
export type Role = (typeof ROLES)[number];

/** An authenticated client: its user name, role and, for a bridge, the fermenters it runs. */
export interface Principal {
  readonly name: string;
  readonly role: Role;
  readonly fermenters?: readonly string[];
}

export interface TopicRules {
  /** Topic filters a client may publish on. */
  readonly publish: readonly string[];
  /** Topic filters a client may receive messages from. */
  readonly read: readonly string[];
}

export function rulesFor(p: Principal, baseTopic: string): TopicRules {
  switch (p.role) {
    case 'bridge': {
      const ids = p.fermenters ?? [];
      const own = ids.map((id) => `${baseTopic}/fermenter/${id}`);
      const bridge = `${baseTopic}/bridge/${p.name}/#`;
      // Home Assistant discovery of its own fermenters: <prefix>/<component>/<base>_<id>/<entity>/config.
      const discovery = ids.map((id) => `${HA_PREFIX}/+/${discoveryBase(baseTopic)}_${id}/#`);
      return {
        publish: [...own.map((t) => `${t}/#`), bridge, ...discovery],
        // Which fermenters are online anywhere is public; a bridge answers commands only for its own.
        read: [
          ...own.map((t) => `${t}/set`),
          `${baseTopic}/fermenter/+/availability`,
          `${baseTopic}/recorder/+/availability`,
          bridge,
          `${HA_PREFIX}/status`,
        ],
      };
    }
    case 'service':
      // Home Assistant announces itself on <prefix>/status; only a fermenter's bridge publishes its discovery.
      // A history recorder says whether it listens, for the bridges' backlogs.
      return {
        publish: [
          `${baseTopic}/fermenter/+/set`,
          `${baseTopic}/recorder/+/availability`,
          `${HA_PREFIX}/status`,
        ],
        read: ['#'],
      };
    case 'viewer':
      return { publish: [], read: [`${baseTopic}/#`] };
    case 'ispindel':
      // Its own values, and the Home Assistant discovery its firmware announces them with (7.2 and later).
      return { publish: [`ispindel/${p.name}/#`, `${HA_PREFIX}/sensor/iSpindel_${p.name}/#`], read: [] };
  }
}

const HA_PREFIX = 'homeassistant';

/** The base topic as it starts Home Assistant object ids (broker/homeassistant-discovery.ts). */
function discoveryBase(baseTopic: string): string {
  return baseTopic.replace(/[^A-Za-z0-9_-]+/g, '_');
}

/** Rules for a broker started without authentication: everything but `$`-topics. */
export const OPEN_RULES: TopicRules = { publish: ['#'], read: ['#'] };

export class Acl {
  readonly #publish: string[][];
  readonly #read: string[][];
  /** Reads every topic a wildcard can reach, so deliveries need no check. */
  readonly readsEverything: boolean;

  constructor(rules: TopicRules) {
    this.#publish = rules.publish.map(levels);
    this.#read = rules.read.map(levels);
    this.readsEverything = rules.read.includes('#');
  }

  mayPublish(topic: string): boolean {
    const t = levels(topic);
    return this.#publish.some((p) => overlap(p, t));
  }

  /**
   * A subscription is granted when its filter can match a topic the client may read, as Mosquitto does:
   * `#` by a viewer is granted and delivers only `<base>/…`. Each delivery is then checked by mayReceive.
   */
  maySubscribe(filter: string): boolean {
    const f = levels(filter);
    return this.#read.some((p) => overlap(p, f));
  }

  mayReceive(topic: string): boolean {
    if (this.readsEverything && !topic.startsWith('$')) return true;
    const t = levels(topic);
    return this.#read.some((p) => overlap(p, t));
  }
}

function levels(topic: string): string[] {
  return topic.split('/');
}

/** Whether some topic matches both filters; with a plain topic on one side, whether the other matches it. */
export function overlap(a: readonly string[], b: readonly string[]): boolean {
  for (let i = 0; ; i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined && y === undefined) return true;
    if (x === '#' || y === '#') {
      // `#` also matches the parent level, so it may stand for nothing.
      const other = x === '#' ? y : x;
      return !(i === 0 && other?.startsWith('$'));
    }
    if (x === undefined || y === undefined) return false;
    if (x === '+' || y === '+') {
      if (i === 0 && (x.startsWith('$') || y.startsWith('$'))) return false;
      continue;
    }
    if (x !== y) return false;
  }
}
