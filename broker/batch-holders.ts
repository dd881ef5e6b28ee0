// Batch rights on an external broker. The embedded broker checks who sends a command (command-rights.ts);
// Mosquitto cannot, so the hub publishes, retained on <base>/fermenter/<id>/batch, which batch holds each
// fermenter, and the bridge refuses a command whose sender (`by`, as the dashboard and Home Assistant
// automations name the person) is not one the batch lists, unless the sender marks it as an admin's.
import createError from '@fastify/error';
import { type Static, Type as T } from '@sinclair/typebox';
import type { IClientOptions } from 'mqtt';
import { InvalidInputError, schemaChecker } from '../common/schema-check.js';
import { connected, createClient } from './client.js';
import type { CommandRefusal } from './command-rights.js';
import { type BrokerLog, silentLog } from './log.js';
import { topicsFor } from './topics.js';

/** Names as the dashboard's accounts have them; a batch names at most 20 co-brewers. */
const Name = T.String({ minLength: 1, maxLength: 64 });

export const BatchHolderSchema = T.Object(
  {
    batch: T.Union([
      T.Object(
        {
          id: T.String({ minLength: 1, maxLength: 128 }),
          name: T.String({ maxLength: 256 }),
          owner: Name,
          coBrewers: T.Array(Name, { maxItems: 20 }),
        },
        { additionalProperties: false },
      ),
      T.Null(),
    ]),
  },
  {
    additionalProperties: false,
    description:
      'Retained on <base>/fermenter/<id>/batch by the hub: the batch holding the fermenter (who may control ' +
      'it: its owner, co-brewers and admins), or null when it is free',
  },
);
export type BatchHolder = Static<typeof BatchHolderSchema>;

const checkHolder = schemaChecker(BatchHolderSchema, 'The batch message');
/** Stands for a message that did not reach the broker: never equal to one to publish. */
const UNSENT = '\u0000';

export const NotYourBatchError = createError<
  'COBREW_ERR_NOT_YOUR_BATCH',
  [string, string, string, string, string]
>(
  'COBREW_ERR_NOT_YOUR_BATCH',
  'Fermenter %s holds batch "%s" of %s; only its owner, its co-brewers (%s) and admins may control it, and %s. ' +
    'Send the command from the dashboard, or name in "by" a person the batch lists.',
  403,
);

/** What a bridge knows of the batches on its fermenters, from the hub's retained messages. */
export class BatchHolderBook {
  readonly #holders = new Map<string, NonNullable<BatchHolder['batch']>>();

  /** Takes a message of <base>/fermenter/<id>/batch; throws COBREW_ERR_INVALID, changing nothing, for a bad one. */
  learn(fermenterId: string, payload: string): void {
    // An empty retained message clears the topic: nothing is known of a batch there.
    if (payload === '') {
      this.#holders.delete(fermenterId);
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(payload);
    } catch (err) {
      throw new InvalidInputError('The batch message', `  - not JSON: ${(err as Error).message}`);
    }
    const { batch } = checkHolder(value);
    if (batch === null) this.#holders.delete(fermenterId);
    else this.#holders.set(fermenterId, batch);
  }

  /** Why `by` may not command the fermenter, or null: a free fermenter, a person the batch lists, an admin. */
  refusal(fermenterId: string, by: string | undefined, admin: boolean): CommandRefusal | null {
    const batch = this.#holders.get(fermenterId);
    if (batch === undefined || admin) return null;
    if (by !== undefined && (batch.owner === by || batch.coBrewers.includes(by))) return null;
    const team = batch.coBrewers.length === 0 ? 'none' : batch.coBrewers.join(', ');
    const who = by === undefined ? 'the command names nobody ("by")' : `${by} is none of them`;
    const err = new NotYourBatchError(fermenterId, batch.name, batch.owner, team, who);
    return { code: err.code, message: err.message };
  }
}

/** A busy fermenter's batch, as the commons gives it (recipes/commons/batches.ts holders()). */
export interface HeldFermenter {
  fermenterId: string;
  batchId: string;
  name: string;
  owner: string;
  coBrewers: string[];
}

export interface BatchHolderPublisherOptions {
  url: string;
  baseTopic: string;
  /** Every busy fermenter's batch now. */
  holders: () => HeldFermenter[];
  /** How often the batches are compared with what was published (wall time); a second by default. */
  everyMs?: number;
  log?: BrokerLog;
  clientOptions?: IClientOptions;
}

export interface BatchHolderPublisher {
  /**
   * Publishes what changed since the last time, now; resolves once the broker has it, so that a command sent
   * after it reaches the bridge after the batch does (a batch just started or ended).
   */
  sync(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The hub's side: publishes each fermenter's batch, retained, whenever it changes, and frees (batch null)
 * those a retained message still names but no batch holds any more, a previous run's included.
 */
export async function startBatchHolderPublisher(
  opts: BatchHolderPublisherOptions,
): Promise<BatchHolderPublisher> {
  const log = opts.log ?? silentLog;
  const topics = topicsFor(opts.baseTopic);
  const filter = topics.fermenterBatch('+');
  /** What the broker holds retained for each fermenter, as last seen or published. */
  const retained = new Map<string, string>();
  const client = createClient(opts.url, 'batch', { ...opts.clientOptions });
  client.on('message', (topic, payload) => {
    const id = topics.batchTopicId(topic);
    if (id !== null) retained.set(id, payload.toString('utf8'));
  });
  client.on('error', (err) => log.warn({ err, url: opts.url }, 'batch publisher: MQTT error'));
  await connected(client);
  await client.subscribeAsync(filter, { qos: 1 });

  const sync = async () => {
    if (!client.connected) return;
    const sent: Promise<unknown>[] = [];
    const wanted = new Map<string, string>();
    for (const h of opts.holders()) {
      const batch = { id: h.batchId, name: h.name, owner: h.owner, coBrewers: h.coBrewers };
      wanted.set(h.fermenterId, JSON.stringify({ batch } satisfies BatchHolder));
    }
    const free = JSON.stringify({ batch: null } satisfies BatchHolder);
    for (const id of new Set([...wanted.keys(), ...retained.keys()])) {
      const payload = wanted.get(id) ?? free;
      if (retained.get(id) === payload || (retained.get(id) === '' && payload === free)) continue;
      retained.set(id, payload);
      sent.push(
        client.publishAsync(topics.fermenterBatch(id), payload, { qos: 1, retain: true }).catch((err) => {
          // Published again at the next sync.
          retained.set(id, UNSENT);
          log.warn({ err, fermenter: id }, 'could not publish the batch of a fermenter');
        }),
      );
    }
    await Promise.all(sent);
  };
  const syncLogged = () =>
    sync().catch((err) => log.error({ err }, 'could not read the batches to publish them'));
  await syncLogged();
  const timer = setInterval(syncLogged, opts.everyMs ?? 1000);
  return {
    sync,
    stop: async () => {
      clearInterval(timer);
      await client.endAsync();
    },
  };
}
