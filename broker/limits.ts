// The embedded broker's limits, so that one client, broken or hostile, cannot take it down for the others.
import { type Static, Type as T } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

export const BrokerLimitsSchema = T.Object(
  {
    maxTopicLevels: T.Integer({
      default: 8,
      minimum: 5,
      maximum: 100,
      description:
        'Most `/`-separated levels in a topic or filter; deeper ones are refused and the client disconnected',
    }),
    maxPacketBytes: T.Integer({
      default: 65536,
      minimum: 1024,
      maximum: 268435460,
      description:
        'Largest MQTT packet a client may send, header included; a larger one disconnects it before it is read',
    }),
    maxConnections: T.Integer({
      default: 100,
      minimum: 1,
      description: 'Most clients connected at once; further CONNECTs are refused',
    }),
    maxConnectionsPerUser: T.Integer({
      default: 10,
      minimum: 1,
      description:
        "Most clients one user may have connected at once, so that one account cannot take every slot; cobrew's own components are always admitted",
    }),
    loginFailuresPerAddress: T.Integer({
      default: 5,
      minimum: 1,
      description:
        'Failed MQTT logins allowed per client address and user name in 15 minutes; further attempts are refused without checking the password',
    }),
    publishesPerSecond: T.Number({
      default: 50,
      exclusiveMinimum: 0,
      description: 'Sustained publish rate allowed per client; a client above it is disconnected',
    }),
    publishBurst: T.Integer({
      default: 100,
      minimum: 1,
      description: 'Publishes a client may send at once above the sustained rate',
    }),
    publishesPerFermenter: T.Number({
      default: 25,
      minimum: 0,
      description:
        'Added to publishesPerSecond for each fermenter a bridge account runs: states up to 20 a second ' +
        '(mqtt.statePeriodMs 50) with room for incidents and availability',
    }),
    burstPerFermenter: T.Integer({
      default: 20,
      minimum: 0,
      description:
        'Added to publishBurst for each fermenter a bridge account runs: its Home Assistant discovery and ' +
        'first states all go out at once when the bridge connects',
    }),
  },
  { additionalProperties: false, default: {}, description: 'Limits of the embedded broker, per client' },
);
export type BrokerLimits = Static<typeof BrokerLimitsSchema>;

/** The given limits with the schema's defaults for the others. */
export function brokerLimits(given: Partial<BrokerLimits> = {}): BrokerLimits {
  return Value.Default(BrokerLimitsSchema, { ...given }) as BrokerLimits;
}

/** The publish allowance of a client running `fermenters` fermenters (0 for any but a bridge). */
export function publishAllowance(limits: BrokerLimits, fermenters: number): TokenBucket {
  return new TokenBucket(
    limits.publishesPerSecond + fermenters * limits.publishesPerFermenter,
    limits.publishBurst + fermenters * limits.burstPerFermenter,
  );
}

/** A token bucket: `burst` publishes at once, refilled at `perSecond`. */
export class TokenBucket {
  #tokens: number;
  #at: number;

  constructor(
    readonly perSecond: number,
    readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.#tokens = burst;
    this.#at = now();
  }

  take(): boolean {
    const t = this.now();
    this.#tokens = Math.min(this.burst, this.#tokens + ((t - this.#at) / 1000) * this.perSecond);
    this.#at = t;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}

/**
 * Failed logins per client address and user name in a sliding window: past `max`, that pair is refused
 * without the password being checked, so that guessing runs at a few tries per window, not thirty a second.
 * Bounded in keys, like the dashboard's login limiter.
 */
export class LoginFailures {
  readonly #failures = new Map<string, number[]>();

  constructor(
    private readonly max: number,
    private readonly windowMs = 15 * 60_000,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 10_000,
  ) {}

  blocked(address: string, user: string): boolean {
    return this.#recent(`${address}\n${user}`).length >= this.max;
  }

  fail(address: string, user: string): void {
    const key = `${address}\n${user}`;
    const recent = this.#recent(key);
    recent.push(this.now());
    this.#failures.delete(key);
    this.#failures.set(key, recent);
    // The least recently failed keys go first.
    for (const k of this.#failures.keys()) {
      if (this.#failures.size <= this.maxKeys) break;
      this.#failures.delete(k);
    }
  }

  succeeded(address: string, user: string): void {
    this.#failures.delete(`${address}\n${user}`);
  }

  #recent(key: string): number[] {
    const since = this.now() - this.windowMs;
    return (this.#failures.get(key) ?? []).filter((t) => t > since);
  }
}
