// The latest state of every fermenter as heard on MQTT. Payloads come from the network, so each one is
// checked against the state schema before the page or the API may show it.
import { type BridgeFermenters, BridgeFermentersSchema } from '../broker/bridge-fermenters-schema.js';
import { FermenterStateSchema } from '../broker/state-schema.js';
import { OFFLINE, ONLINE, type Topics } from '../broker/topics.js';
import { wireTimeProblem } from '../broker/wire-time.js';
import { InvalidInputError, schemaChecker } from '../common/schema-check.js';
import type { FermenterState } from '../firmware-bridge/types.js';

const checkState = schemaChecker(FermenterStateSchema, 'the state payload');
const checkBridgeFermenters = schemaChecker(BridgeFermentersSchema, "a bridge's list of fermenters");

export interface StoredState {
  state: FermenterState;
  /** Wall time the dashboard received it, epoch ms. */
  receivedAt: number;
}

export type IngestResult = { accepted: true } | { accepted: false; reason: string };

export class StateStore {
  readonly #latest = new Map<string, StoredState>();
  readonly #online = new Map<string, boolean>();
  /** Which bridge runs each fermenter, and whether each bridge is online, as the bridges said. */
  readonly #bridgeOf = new Map<string, string>();
  readonly #bridgeOnline = new Map<string, boolean>();

  constructor(
    private readonly topics: Topics,
    private readonly now: () => number = Date.now,
    /** The fermenters' clock: a state dated ahead of it (or absurdly old) is refused at the door. */
    private readonly fermenterNow: () => number = Date.now,
  ) {}

  get(id: string): StoredState | undefined {
    return this.#latest.get(id);
  }

  all(): StoredState[] {
    return [...this.#latest.values()];
  }

  /**
   * What the fermenter's availability topic last said, or false while its bridge is offline (its last will
   * cannot speak for each fermenter); null before either said anything.
   */
  online(id: string): boolean | null {
    const bridge = this.#bridgeOf.get(id);
    if (bridge !== undefined && this.#bridgeOnline.get(bridge) === false) return false;
    return this.#online.get(id) ?? null;
  }

  /** What the bridge's availability topic last said; null before it said anything. */
  bridgeOnline(bridgeId: string): boolean | null {
    return this.#bridgeOnline.get(bridgeId) ?? null;
  }

  /** The fermenters a bridge runs, as it last said. */
  fermentersOf(bridgeId: string): string[] {
    return [...this.#bridgeOf].filter(([, b]) => b === bridgeId).map(([id]) => id);
  }

  /** Remembers a bridge's availability payload; returns false for one neither online nor offline. */
  ingestBridgeAvailability(bridgeId: string, payload: Buffer): boolean {
    const text = payload.toString('utf8');
    if (text === '') this.#bridgeOnline.delete(bridgeId);
    else if (text === ONLINE || text === OFFLINE) this.#bridgeOnline.set(bridgeId, text === ONLINE);
    else return false;
    return true;
  }

  /** Remembers which fermenters a bridge runs; returns the reason when the payload is refused. */
  ingestBridgeFermenters(bridgeId: string, payload: Buffer): IngestResult {
    let list: BridgeFermenters;
    try {
      list =
        payload.length === 0
          ? { fermenters: [] }
          : checkBridgeFermenters(JSON.parse(payload.toString('utf8')));
    } catch (err) {
      if (err instanceof InvalidInputError || err instanceof SyntaxError)
        return { accepted: false, reason: err.message };
      throw err;
    }
    for (const id of this.fermentersOf(bridgeId)) this.#bridgeOf.delete(id);
    for (const id of list.fermenters) this.#bridgeOf.set(id, bridgeId);
    return { accepted: true };
  }

  /** Remembers an availability payload ('online' or 'offline'); returns false for any other payload. */
  ingestAvailability(id: string, payload: Buffer): boolean {
    const text = payload.toString('utf8');
    if (text === '') this.#online.delete(id);
    else if (text === ONLINE || text === OFFLINE) this.#online.set(id, text === ONLINE);
    else return false;
    return true;
  }

  ingest(topic: string, payload: Buffer): IngestResult {
    const id = this.topics.stateTopicId(topic);
    if (id === null) return { accepted: false, reason: 'not a fermenter state topic' };
    // An empty retained message is how MQTT clears a topic: the fermenter is gone.
    if (payload.length === 0) {
      this.#latest.delete(id);
      return { accepted: true };
    }
    let value: unknown;
    try {
      value = JSON.parse(payload.toString('utf8'));
    } catch (err) {
      return { accepted: false, reason: `not JSON: ${(err as Error).message}` };
    }
    let state: FermenterState;
    try {
      state = checkState(value);
    } catch (err) {
      if (err instanceof InvalidInputError) return { accepted: false, reason: err.message };
      throw err;
    }
    if (state.id !== id) {
      return {
        accepted: false,
        reason: `its id ${JSON.stringify(state.id)} does not match the topic's ${JSON.stringify(id)}`,
      };
    }
    const late = wireTimeProblem(state.at, this.fermenterNow());
    if (late !== null) return { accepted: false, reason: late };
    this.#latest.set(id, { state, receivedAt: this.now() });
    return { accepted: true };
  }
}
