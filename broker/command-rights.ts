// Rights over the set commands clients publish through the embedded broker (Home Assistant, scripts): a
// command the space's rules refuse never reaches the bridge. The broker answers it in its place, on the
// command's set/response topic with the reason and the command's transaction, as the bridge would have.
import type { PublishPacket } from 'aedes';

export interface CommandRefusal {
  code: string;
  message: string;
}

export interface CommandRights {
  /** Why the MQTT account may not command the fermenter, or null when it may. */
  refusal(account: { name: string; role: string }, fermenterId: string): CommandRefusal | null;
}

/** The fermenter id of `<base>/fermenter/<id>/set`, or null for any other topic. */
export function setCommandFermenter(baseTopic: string, topic: string): string | null {
  const prefix = `${baseTopic}/fermenter/`;
  if (!topic.startsWith(prefix) || !topic.endsWith('/set')) return null;
  const id = topic.slice(prefix.length, -'/set'.length);
  return id === '' || id.includes('/') ? null : id;
}

/** The command's transaction when it has a usable one (the set schema's: a string of at most 128). */
function transactionOf(payload: Buffer | string): string | undefined {
  try {
    const t = (JSON.parse(payload.toString()) as { transaction?: unknown } | null)?.transaction;
    return typeof t === 'string' && t.length <= 128 ? t : undefined;
  } catch {
    return undefined;
  }
}

/** Turns the refused command into its answer: same QoS, on set/response, not retained. */
export function answerInstead(packet: PublishPacket, refusal: CommandRefusal): void {
  const transaction = transactionOf(packet.payload);
  packet.topic = `${packet.topic}/response`;
  packet.retain = false;
  packet.payload = Buffer.from(
    JSON.stringify({
      status: 'error',
      error: refusal,
      ...(transaction === undefined ? {} : { transaction }),
    }),
  );
}
