// Sends a person's command to a fermenter over MQTT, as Home Assistant or any other client would: on
// <base>/fermenter/<id>/set with a transaction of its own, then waits for the bridge's answer with that
// transaction on <base>/fermenter/<id>/set/response.
import { randomUUID } from 'node:crypto';
import type { IClientOptions } from 'mqtt';
import { connected, createClient } from '../../broker/client.js';
import { type Command, type CommandResponse, CommandResponseSchema } from '../../broker/command-schema.js';
import type { BrokerLog } from '../../broker/log.js';
import { topicsFor } from '../../broker/topics.js';
import { InvalidInputError, schemaChecker } from '../../common/schema-check.js';
import { BridgeTimeoutError, MqttDisconnectedError } from './errors.js';

/** Long enough for a bridge on a slow Raspberry Pi across Wi-Fi; short enough for a person to wait for. */
export const COMMAND_TIMEOUT_MS = 5000;

export interface CommandSenderOptions {
  url: string;
  baseTopic: string;
  log: BrokerLog;
  /** The dashboard's MQTT account: role service, which may publish set commands. */
  clientOptions?: IClientOptions;
  timeoutMs?: number;
}

export interface CommandSender {
  /**
   * The bridge's answer (ok or error), or a typed error: COBREW_ERR_BRIDGE_TIMEOUT when none came in time,
   * COBREW_ERR_MQTT_DISCONNECTED when the command could not be sent.
   */
  send(fermenterId: string, command: Command): Promise<CommandResponse & { transaction: string }>;
  close(): Promise<void>;
}

const checkResponse = schemaChecker(CommandResponseSchema, 'the command response');

export async function startCommandSender(opts: CommandSenderOptions): Promise<CommandSender> {
  const topics = topicsFor(opts.baseTopic);
  const timeoutMs = opts.timeoutMs ?? COMMAND_TIMEOUT_MS;
  /** Commands waiting for their answer, by transaction, with the response topic the answer must come on. */
  const waiting = new Map<
    string,
    { topic: string; answer: (a: CommandResponse) => void; fail: (err: Error) => void }
  >();

  const client = createClient(opts.url, 'dcmd', { ...opts.clientOptions });
  client.on('message', (topic, payload) => {
    let answer: CommandResponse;
    try {
      answer = checkResponse(JSON.parse(payload.toString('utf8')));
    } catch (err) {
      if (!(err instanceof InvalidInputError || err instanceof SyntaxError)) throw err;
      opts.log.warn({ topic, reason: err.message }, 'dropped an invalid command response');
      return;
    }
    // Answers to other clients' commands (no transaction, or one of theirs) are not ours to take. The
    // transaction travels in the clear on the set topic, so an answer counts only from the fermenter asked.
    const w = answer.transaction === undefined ? undefined : waiting.get(answer.transaction);
    if (w === undefined) return;
    if (w.topic === topic) w.answer(answer);
    else
      opts.log.warn({ topic, expected: w.topic }, "dropped a command answer from another fermenter's topic");
  });
  client.on('error', (err) => opts.log.warn({ err, url: opts.url }, 'dashboard commands: MQTT error'));
  await connected(client);
  await client.subscribeAsync(topics.fermenterSetResponse('+'), { qos: 1 });

  return {
    async send(fermenterId, command) {
      if (!client.connected) throw new MqttDisconnectedError();
      const transaction = randomUUID();
      const answered = new Promise<CommandResponse>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(transaction);
          reject(new BridgeTimeoutError(fermenterId, timeoutMs));
        }, timeoutMs);
        const settle = () => {
          clearTimeout(timer);
          waiting.delete(transaction);
        };
        waiting.set(transaction, {
          topic: topics.fermenterSetResponse(fermenterId),
          answer: (answer) => {
            settle();
            resolve(answer);
          },
          fail: (err) => {
            settle();
            reject(err);
          },
        });
      });
      // QoS 1 and not retained: a retained command would be applied again at every bridge restart.
      client.publish(topics.fermenterSet(fermenterId), JSON.stringify({ ...command, transaction }), {
        qos: 1,
      });
      return { ...(await answered), transaction };
    },
    close: async () => {
      for (const w of [...waiting.values()]) w.fail(new MqttDisconnectedError());
      await client.endAsync();
    },
  };
}
