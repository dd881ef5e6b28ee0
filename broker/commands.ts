// The set handler: takes commands from <base>/fermenter/<id>/set, applies them through the fermenters' command
// API and answers every one of them on <base>/fermenter/<id>/set/response. A refused command changes nothing.
import createError from '@fastify/error';
import type { IClientOptions } from 'mqtt';
import { InvalidInputError, schemaChecker } from '../common/schema-check.js';
import type { CommandTarget } from '../firmware-bridge/commands.js';
import type { ControlMode } from '../firmware-bridge/types.js';
import { BatchHolderBook } from './batch-holders.js';
import { connected, createClient } from './client.js';
import {
  COMMAND_KEYS,
  type Command,
  CommandFieldsSchema,
  type CommandResponse,
  CommandSchema,
} from './command-schema.js';
import { type BrokerLog, silentLog } from './log.js';
import { ONLINE, topicsFor } from './topics.js';

/** A fermenter the set handler runs commands on; its latest state tells which target `targetC` sets. */
export type SetTarget = CommandTarget & { latest?(): { mode: ControlMode } | null };

export interface CommandHandlerOptions {
  /** e.g. mqtt://127.0.0.1:1883 */
  url: string;
  baseTopic: string;
  fermenters: readonly SetTarget[];
  log?: BrokerLog;
  /** Passed to mqtt.js, e.g. { username, password } for a broker that wants them. */
  clientOptions?: IClientOptions;
  /**
   * Check batch rights here, from the hub's retained <base>/fermenter/<id>/batch: on an external broker,
   * which cannot check who sends a command as the embedded one does.
   */
  batchRights?: boolean;
}

export interface CommandHandler {
  stop(): Promise<void>;
}

export const CommandJsonError = createError<'COBREW_ERR_COMMAND_JSON', [string]>(
  'COBREW_ERR_COMMAND_JSON',
  'The command is not JSON (%s); send one JSON object, e.g. {"beerSetpointC": 18.5}',
  400,
);

export const UnknownFermenterError = createError<'COBREW_ERR_UNKNOWN_FERMENTER', [string, string]>(
  'COBREW_ERR_UNKNOWN_FERMENTER',
  'There is no fermenter "%s" here (this bridge runs: %s); check the id in the topic <base>/fermenter/<id>/set',
  404,
);

export const CommandFailedError = createError<'COBREW_ERR_COMMAND_FAILED', [string]>(
  'COBREW_ERR_COMMAND_FAILED',
  'The command failed inside cobrew (%s); see the bridge log, and check the state before trying again',
  500,
);

export const TargetInProfileError = createError<'COBREW_ERR_TARGET_IN_PROFILE', [string]>(
  'COBREW_ERR_TARGET_IN_PROFILE',
  'Fermenter "%s" follows its profile, which sets the target: switch it to beer mode first (mode "beer", ' +
    "Home Assistant's heat/cool), or change the profile",
  409,
);

/** Who made a change or cleared a trip, as the stored intent and the incident's context record it. */
const SENT_BY = 'mqtt set command';

const checkFields = schemaChecker(CommandFieldsSchema, 'The command');
const checkCommand = schemaChecker(CommandSchema, 'The command');

/**
 * A set payload as a command, or a typed error naming the problem. The keys are checked first, one line per
 * bad key; the whole-message rules (one command per message) after, in words rather than as Ajv's oneOf.
 */
export function parseCommand(payload: string): Command {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch (err) {
    throw new CommandJsonError((err as Error).message);
  }
  checkFields(value);
  const v = value as Record<string, unknown>;
  const given = COMMAND_KEYS.filter((k) => k in v);
  if (given.length === 0) {
    const keys = COMMAND_KEYS.join(', ');
    throw invalid(`(top level): no command; give one of ${keys}, e.g. {"beerSetpointC": 18.5}`);
  }
  if (given.length > 1) {
    throw invalid(`(top level): ${given.join(' and ')} together; send one command per message`);
  }
  for (const k of ['steps', 'fromStep']) {
    if (k in v && v.profile !== 'start') {
      throw invalid(`${k}: only allowed with {"profile": "start"}; remove it or start the profile`);
    }
  }
  return checkCommand(value);
}

function invalid(line: string) {
  return new InvalidInputError('The command', `  - ${line}`);
}

function apply(f: SetTarget, c: Command): void {
  const by = c.by === undefined ? SENT_BY : `${c.by} via MQTT`;
  if (c.mode !== undefined) f.setMode(c.mode, by);
  else if (c.beerSetpointC !== undefined) f.setBeerSetpoint(c.beerSetpointC, by);
  else if (c.chamberSetpointC !== undefined) f.setChamberSetpoint(c.chamberSetpointC, by);
  else if (c.targetC !== undefined) setTarget(f, c.targetC, by);
  else if (c.profile === 'start') {
    if (c.fromStep === undefined) f.startProfile(c.steps, by);
    else f.startProfile(c.steps, by, c.fromStep);
  } else if (c.profile === 'stop') f.stopProfile(by);
  else if (c.profile === 'skip') f.skipStep(by);
  else if (c.profile === 'hold') f.holdStep(by);
  else if (c.profile === 'resume') f.resumeStep(by);
  else if (c.extendStepH !== undefined) f.extendStep(c.extendStepH, by);
  else if (c.nextSteps !== undefined) f.replaceNextSteps(c.nextSteps, by);
  else f.clearTrip(by);
}

/** The target of the mode the fermenter is in; in profile mode the profile owns it. */
function setTarget(f: SetTarget, c: number, by: string): void {
  const mode = f.latest?.()?.mode;
  if (mode === 'profile') throw new TargetInProfileError(f.id);
  if (mode === 'chamber') f.setChamberSetpoint(c, by);
  else f.setBeerSetpoint(c, by);
}

/** The caller's transaction, when the payload was an object carrying a valid one: echoed even on errors. */
function transactionOf(payload: string): string | undefined {
  try {
    const t = (JSON.parse(payload) as { transaction?: unknown } | null)?.transaction;
    return typeof t === 'string' && t.length <= 128 ? t : undefined;
  } catch {
    return undefined;
  }
}

function typed(err: unknown): { code: string; message: string } | null {
  const { code, message } = (err ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code !== 'string' || !code.startsWith('COBREW_ERR_')) return null;
  return { code, message: String(message) };
}

export async function startCommandHandler(opts: CommandHandlerOptions): Promise<CommandHandler> {
  const log = opts.log ?? silentLog;
  const topics = topicsFor(opts.baseTopic);
  const ours = new Map(opts.fermenters.map((f) => [f.id, f]));
  // Fermenters that another bridge on the same broker announces online: their commands are its to answer.
  const elsewhere = new Set<string>();
  const batches = opts.batchRights === true ? new BatchHolderBook() : null;

  const respond = (id: string, body: CommandResponse) =>
    client.publish(
      topics.fermenterSetResponse(id),
      JSON.stringify(body),
      { qos: 1, retain: false },
      (err) => {
        if (err) log.warn({ err, fermenter: id }, 'could not send a command response');
      },
    );

  const handle = (id: string, payload: string) => {
    const transaction = transactionOf(payload);
    const f = ours.get(id);
    try {
      if (f === undefined) {
        if (elsewhere.has(id)) return;
        throw new UnknownFermenterError(id, [...ours.keys()].join(', ') || 'none');
      }
      const command = parseCommand(payload);
      const refused = batches?.refusal(id, command.by, command.byAdmin === true);
      if (refused) throw Object.assign(new Error(refused.message), { code: refused.code });
      apply(f, command);
      log.info({ fermenter: id, command }, 'applied a command');
      respond(id, { status: 'ok', ...(transaction === undefined ? {} : { transaction }) });
    } catch (err) {
      let error = typed(err);
      if (error === null) {
        log.error({ err, fermenter: id }, 'a command failed');
        error = { code: 'COBREW_ERR_COMMAND_FAILED', message: new CommandFailedError(String(err)).message };
      } else {
        log.info({ fermenter: id, code: error.code }, `refused a command: ${error.message}`);
      }
      respond(id, { status: 'error', error, ...(transaction === undefined ? {} : { transaction }) });
    }
  };

  const client = createClient(opts.url, 'cmd', { ...opts.clientOptions });
  client.on('message', (topic, payload, packet) => {
    const held = batches === null ? null : topics.batchTopicId(topic);
    if (held !== null) {
      try {
        batches?.learn(held, payload.toString('utf8'));
      } catch (err) {
        // The last batch known stays: a message it cannot read must not free the fermenter.
        log.warn({ fermenter: held, reason: (err as Error).message }, 'ignored an unreadable batch message');
      }
      return;
    }
    const announced = topics.availabilityTopicId(topic);
    if (announced !== null) {
      if (ours.has(announced)) return;
      if (payload.toString('utf8') === ONLINE) elsewhere.add(announced);
      else elsewhere.delete(announced);
      return;
    }
    const id = topics.setTopicId(topic);
    if (id === null) return;
    // A retained command would be applied again at every restart; only live ones count.
    if (packet.retain) {
      log.warn({ topic }, 'ignored a retained command; publish commands without the retain flag');
      return;
    }
    handle(id, payload.toString('utf8'));
  });
  client.on('error', (err) => log.warn({ err, url: opts.url }, 'set handler: MQTT error'));
  await connected(client);
  // mqtt.js renews these subscriptions by itself after a reconnect. The batches first: their retained
  // messages arrive before any command. Each fermenter's own topic, which a bridge's ACL lets it read.
  if (batches !== null && opts.fermenters.length > 0) {
    await client.subscribeAsync(
      opts.fermenters.map((f) => topics.fermenterBatch(f.id)),
      { qos: 1 },
    );
  }
  await client.subscribeAsync([topics.allFermenterSets, topics.allFermenterAvailability], { qos: 1 });
  log.debug({ url: opts.url }, 'set handler listening');

  return {
    stop: () => client.endAsync(),
  };
}
