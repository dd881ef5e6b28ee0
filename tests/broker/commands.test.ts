// The set handler with real mqtt.js clients on the embedded broker, applying commands to real fermenters
// (SimBoard, guard, controller) on a ManualClock: every command is answered, and a refused one changes nothing.
import { connectAsync } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandResponse } from '../../broker/command-schema.js';
import { type CommandHandler, startCommandHandler } from '../../broker/commands.js';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../broker/embedded.js';
import { ManualClock } from '../../common/clock.js';
import { Fermenter } from '../../firmware-bridge/fermenter.js';
import { checkFermenterConfig } from '../../firmware-bridge/fermenter-config.js';
import { SimBoard } from '../../firmware-bridge/sim/sim-board.js';
import type { FermenterState } from '../../firmware-bridge/types.js';
import { waitFor } from './helpers.js';

interface Answer {
  topic: string;
  body: CommandResponse;
}

/** What a person looks at to see whether a command did anything. */
const settings = (s: FermenterState) => ({
  mode: s.mode,
  beerSetpointC: s.beerSetpointC,
  chamberSetpointC: s.mode === 'chamber' ? s.chamberSetpointC : undefined,
});

describe('set handler', () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  async function setup() {
    const broker: EmbeddedBroker = await startEmbeddedBroker({ host: '127.0.0.1', port: 0 });
    cleanup.push(() => broker.close());
    const clock = new ManualClock();
    const config = checkFermenterConfig({
      id: 'ale',
      name: 'Ale',
      board: { type: 'sim', ambientMeanC: 20, ambientSwingC: 0, startBeerC: 18 },
    });
    const board = new SimBoard(config.board, clock);
    const ale = new Fermenter(config, board, clock);
    const tick = (seconds = 1): FermenterState => {
      for (let i = 0; i < seconds; i++) {
        clock.advance(1000);
        ale.tick();
      }
      return ale.latest() as FermenterState;
    };
    tick(5);
    const handlers: CommandHandler[] = [];
    const startHandler = async () => {
      const h = await startCommandHandler({ url: broker.url, baseTopic: 'cobrew', fermenters: [ale] });
      handlers.push(h);
      return h;
    };
    cleanup.push(async () => {
      for (const h of handlers) await h.stop();
    });
    await startHandler();

    const client = await connectAsync(broker.url, { reconnectPeriod: 0 });
    cleanup.push(() => client.endAsync());
    const answers: Answer[] = [];
    client.on('message', (topic, payload) => answers.push({ topic, body: JSON.parse(payload.toString()) }));
    await client.subscribeAsync('cobrew/fermenter/+/set/response', { qos: 1 });

    /** Publish one command and wait for the next answer. */
    const send = async (payload: string | object, id = 'ale'): Promise<Answer> => {
      const before = answers.length;
      const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
      await client.publishAsync(`cobrew/fermenter/${id}/set`, text, { qos: 1 });
      return waitFor(() => answers[before], `the answer to ${text}`);
    };
    return { broker, client, board, ale, tick, send, answers, startHandler, handlers };
  }

  it('applies each kind of command and answers ok with the transaction', async () => {
    const { send, tick } = await setup();
    const ok = (transaction: string) => ({
      topic: 'cobrew/fermenter/ale/set/response',
      body: { status: 'ok', transaction },
    });

    expect(await send({ beerSetpointC: 18.5, transaction: 't1' })).toEqual(ok('t1'));
    expect(tick()).toMatchObject({ mode: 'beer', beerSetpointC: 18.5 });

    expect(await send({ chamberSetpointC: 12, transaction: 't2' })).toEqual(ok('t2'));
    expect(await send({ mode: 'chamber', transaction: 't3' })).toEqual(ok('t3'));
    expect(tick()).toMatchObject({ mode: 'chamber', chamberSetpointC: 12 });

    const steps = [{ type: 'hold', targetC: 15, durationH: 1 }];
    expect(await send({ profile: 'start', steps, transaction: 't4' })).toEqual(ok('t4'));
    expect(tick()).toMatchObject({ mode: 'profile', beerSetpointC: 15 });
    expect(await send({ profile: 'stop', transaction: 't5' })).toEqual(ok('t5'));
    expect(tick()).toMatchObject({ mode: 'beer', beerSetpointC: 15 });

    expect(await send({ mode: 'off', transaction: 't6' })).toEqual(ok('t6'));
    expect(tick()).toMatchObject({ mode: 'off', outputs: { heat: false, cool: false } });

    expect(await send({ clearTrip: true, transaction: 't7' })).toEqual(ok('t7'));
    // The transaction is optional.
    expect((await send({ mode: 'beer' })).body).toEqual({ status: 'ok' });
    expect(tick().mode).toBe('beer');
  });

  it('operates on the running profile: start at a step, skip, hold and resume, extend, replace what is next', async () => {
    const { send, tick, ale } = await setup();
    const steps = [
      { type: 'hold', targetC: 15, durationH: 10 },
      { type: 'hold', targetC: 16, durationH: 10 },
      { type: 'hold', targetC: 17, durationH: 10 },
    ];
    const ok = { status: 'ok' };
    expect((await send({ profile: 'start', steps, fromStep: 1, by: 'bea' })).body).toEqual(ok);
    expect(tick()).toMatchObject({ profileStep: 1, beerSetpointC: 16 });
    expect((await send({ profile: 'skip', by: 'bea' })).body).toEqual(ok);
    expect(tick()).toMatchObject({ profileStep: 2, beerSetpointC: 17 });
    expect((await send({ profile: 'hold' })).body).toEqual(ok);
    expect(tick().profile?.held).toBe(true);
    expect((await send({ profile: 'resume' })).body).toEqual(ok);
    expect((await send({ extendStepH: 2.5 })).body).toEqual(ok);
    expect(tick().profile).toMatchObject({ held: false, current: { durationH: 12.5 } });
    const next = [{ type: 'ramp', targetC: 4, durationH: 6 }];
    expect((await send({ nextSteps: next, by: 'cleo' })).body).toEqual(ok);
    expect(tick().profile).toMatchObject({ steps: 4, next });
    expect(ale.intent().changedBy).toBe('cleo via MQTT');

    const refused = await send({ extendStepH: 2, fromStep: 1 });
    expect(refused.body.error?.message).toContain('fromStep: only allowed with {"profile": "start"}');
    expect((await send({ extendStepH: 1000 })).body.error?.code).toBe('COBREW_ERR_INVALID');
    expect((await send({ profile: 'stop' })).body).toEqual(ok);
    expect((await send({ profile: 'skip' })).body.error).toMatchObject({
      code: 'COBREW_ERR_PROFILE_NOT_RUNNING',
      message: expect.stringContaining('beer mode'),
    });
  });

  it("sets the current mode's target with targetC, as Home Assistant's thermostat does, and refuses it in profile mode", async () => {
    const { send, tick } = await setup();
    expect((await send({ mode: 'chamber' })).body).toEqual({ status: 'ok' });
    tick();
    expect((await send({ targetC: 9.5 })).body).toEqual({ status: 'ok' });
    expect(tick()).toMatchObject({ mode: 'chamber', chamberSetpointC: 9.5 });
    expect((await send({ mode: 'beer' })).body).toEqual({ status: 'ok' });
    tick();
    expect((await send({ targetC: 17 })).body).toEqual({ status: 'ok' });
    expect(tick()).toMatchObject({ mode: 'beer', beerSetpointC: 17 });
    const steps = [{ type: 'hold', targetC: 15, durationH: 1 }];
    expect((await send({ profile: 'start', steps })).body).toEqual({ status: 'ok' });
    tick();
    const refused = await send({ targetC: 20 });
    expect(refused.body).toMatchObject({ status: 'error', error: { code: 'COBREW_ERR_TARGET_IN_PROFILE' } });
    expect(tick()).toMatchObject({ mode: 'profile', beerSetpointC: 15 });
  });

  it('refuses invalid commands with an error naming the problem, and changes nothing', async () => {
    const { send, tick } = await setup();
    const before = settings(tick());
    const refused = async (payload: string | object, code: string, text: string | RegExp, id = 'ale') => {
      const { topic, body } = await send(payload, id);
      expect(topic).toBe(`cobrew/fermenter/${id}/set/response`);
      expect(body.status).toBe('error');
      expect(body.error?.code).toBe(code);
      expect(body.error?.message).toMatch(text);
      expect(settings(tick())).toEqual(before);
      return body;
    };

    await refused(
      '{"beerSetpointC": 18.5',
      'COBREW_ERR_COMMAND_JSON',
      /^The command is not JSON \(.+\); send one JSON object, e.g. \{"beerSetpointC": 18.5\}$/,
    );
    await refused('', 'COBREW_ERR_COMMAND_JSON', /not JSON/);
    const unknownKey = await refused(
      { beerSetpoint: 18.5, transaction: 'x1' },
      'COBREW_ERR_INVALID',
      'beerSetpoint: unknown key; remove it or check its spelling',
    );
    expect(unknownKey.transaction).toBe('x1');
    await refused(
      { beerSetpointC: 45 },
      'COBREW_ERR_INVALID',
      'beerSetpointC: 45 is not allowed; it must be <= 40',
    );
    await refused(
      { chamberSetpointC: -9 },
      'COBREW_ERR_INVALID',
      'chamberSetpointC: -9 is not allowed; it must be >= -5',
    );
    await refused(
      { beerSetpointC: '18.5' },
      'COBREW_ERR_INVALID',
      'beerSetpointC: "18.5" is not allowed; it must be number',
    );
    await refused(
      { mode: 'heat' },
      'COBREW_ERR_INVALID',
      'mode: "heat" is not allowed; use one of "off", "beer", "chamber", "profile"',
    );
    await refused(
      { clearTrip: false },
      'COBREW_ERR_INVALID',
      'clearTrip: false is not allowed; use one of true',
    );
    await refused([18.5], 'COBREW_ERR_INVALID', '(top level): [18.5] is not allowed; it must be object');
    await refused({ transaction: 'x2' }, 'COBREW_ERR_INVALID', /no command; give one of mode, beerSetpointC/);
    await refused(
      { mode: 'beer', beerSetpointC: 19 },
      'COBREW_ERR_INVALID',
      'mode and beerSetpointC together; send one command per message',
    );
    await refused(
      { profile: 'stop', steps: [{ type: 'hold', targetC: 15, durationH: 1 }] },
      'COBREW_ERR_INVALID',
      'steps: only allowed with {"profile": "start"}',
    );
    await refused(
      { profile: 'start', steps: [{ type: 'hold', targetC: 15 }] },
      'COBREW_ERR_INVALID',
      'steps[0].durationH: missing; it is required',
    );
    await refused(
      { profile: 'start' },
      'COBREW_ERR_NO_PROFILE',
      /Fermenter ale has no profile steps to run; give the steps with the start command/,
    );
    const unknown = await refused(
      { beerSetpointC: 18.5, transaction: 'x3' },
      'COBREW_ERR_UNKNOWN_FERMENTER',
      'There is no fermenter "nope" here (this bridge runs: ale); check the id in the topic',
      'nope',
    );
    expect(unknown.transaction).toBe('x3');
  });

  it('refuses to clear a trip while its condition persists, naming it; clears it once it is gone', async () => {
    const { send, tick, board } = await setup();
    board.inject({ kind: 'sensor-unplugged', probe: 'beer' });
    expect(tick(10).safety.status).toBe('tripped');

    const { body } = await send({ clearTrip: true, transaction: 'c1' });
    expect(body).toMatchObject({
      status: 'error',
      transaction: 'c1',
      error: { code: 'COBREW_ERR_TRIP_PERSISTS' },
    });
    expect(body.error?.message).toMatch(
      /^Nothing was cleared, because the beer probe still reads −127 °C \(COBREW_ERR_SENSOR_DISCONNECTED\)/,
    );
    expect(tick().safety).toMatchObject({ status: 'tripped', trips: ['COBREW_ERR_SENSOR_DISCONNECTED'] });

    board.clear('sensor-unplugged');
    tick(10);
    expect((await send({ clearTrip: true, transaction: 'c2' })).body).toEqual({
      status: 'ok',
      transaction: 'c2',
    });
    expect(tick().safety).toEqual({ status: 'ok', trips: [], alarms: [] });
  });

  it('leaves commands for a fermenter another bridge runs to that bridge', async () => {
    const { client, send, answers } = await setup();
    await client.publishAsync('cobrew/fermenter/lager/availability', 'online', { qos: 1, retain: true });
    await new Promise((r) => setTimeout(r, 100));
    await client.publishAsync('cobrew/fermenter/lager/set', '{"mode":"off"}', { qos: 1 });
    // The next answer is to the following command: nobody here answered for lager.
    const next = await send({ mode: 'off' }, 'nope');
    expect(next.topic).toBe('cobrew/fermenter/nope/set/response');
    expect(answers.map((a) => a.topic)).not.toContain('cobrew/fermenter/lager/set/response');

    // Once that bridge is gone, lager is unknown here like any other id.
    await client.publishAsync('cobrew/fermenter/lager/availability', 'offline', { qos: 1, retain: true });
    await new Promise((r) => setTimeout(r, 100));
    expect((await send({ mode: 'off' }, 'lager')).body.error?.code).toBe('COBREW_ERR_UNKNOWN_FERMENTER');
  });

  it('does not apply a retained command again when it restarts', async () => {
    const { client, send, tick, startHandler, handlers, answers } = await setup();
    expect((await send('{"beerSetpointC": 20}')).body.status).toBe('ok');
    await client.publishAsync('cobrew/fermenter/ale/set', '{"beerSetpointC": 21}', { qos: 1, retain: true });
    await waitFor(() => tick().beerSetpointC === 21, 'the live retained command applied');
    expect((await send({ beerSetpointC: 19 })).body.status).toBe('ok');

    await handlers.shift()?.stop();
    const count = answers.length;
    await startHandler();
    await new Promise((r) => setTimeout(r, 300));
    expect(tick().beerSetpointC).toBe(19);
    expect(answers.length).toBe(count);
  });
});
