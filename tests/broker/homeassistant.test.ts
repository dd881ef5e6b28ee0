// Home Assistant MQTT discovery with real mqtt.js clients on the embedded broker: retained configs, the
// birth message, removed fermenters, and templates that turn Home Assistant's actions into valid commands.
import { connectAsync } from 'mqtt';
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../broker/commands.js';
import type { EmbeddedBroker } from '../../broker/embedded.js';
import { type HomeAssistantOptions, startHomeAssistant } from '../../broker/homeassistant.js';
import {
  COBREW_MODE_TO_HA,
  type DiscoveredFermenter,
  discoveryFor,
  HA_MODE_TO_COBREW,
} from '../../broker/homeassistant-discovery.js';
import { BeerSetpointValue, ChamberSetpointValue } from '../../firmware-bridge/commands.js';
import { listen, sampleState, useCleanup, waitFor } from './helpers.js';
import { render } from './homeassistant-jinja.js';

const ALE: DiscoveredFermenter = { id: 'ale', name: 'Ale – cuve 1', boardKind: 'sim' };
const LAGER: DiscoveredFermenter = { id: 'lager', name: 'Lager – cuve 2', boardKind: 'sim' };
const ENTITIES = [
  'climate/cobrew_ale/climate',
  'sensor/cobrew_ale/beer',
  'sensor/cobrew_ale/chamber',
  'sensor/cobrew_ale/ambient',
  'sensor/cobrew_ale/gravity',
  'number/cobrew_ale/chamber_target',
  'select/cobrew_ale/mode',
  'sensor/cobrew_ale/last_command',
  'sensor/cobrew_ale/hydrometer_battery',
  'binary_sensor/cobrew_ale/heating',
  'binary_sensor/cobrew_ale/cooling',
  'binary_sensor/cobrew_ale/trip',
];
const aleTopics = ENTITIES.map((e) => `homeassistant/${e}/config`);
const lagerTopics = aleTopics.map((t) => t.replace('cobrew_ale', 'cobrew_lager'));
const CTX = { baseTopic: 'cobrew', discoveryPrefix: 'homeassistant', bridgeId: 'cellar', swVersion: '0.1.0' };

describe('Home Assistant discovery', () => {
  const { cleanup, broker } = useCleanup();

  async function start(
    b: EmbeddedBroker,
    fermenters: DiscoveredFermenter[],
    extra: Partial<HomeAssistantOptions> = {},
  ) {
    const ha = await startHomeAssistant({
      url: b.url,
      baseTopic: 'cobrew',
      bridgeId: 'cellar',
      fermenters,
      swVersion: '0.1.0',
      indexWaitMs: 300,
      ...extra,
    });
    let stopped = false;
    cleanup.push(async () => {
      if (!stopped) await ha.stop();
    });
    return {
      ha,
      stop: async () => {
        stopped = true;
        await ha.stop();
      },
    };
  }

  /** What a newcomer finds retained under `filter`, by topic. */
  async function retained(b: EmbeddedBroker, filter: string, count: number) {
    const sub = await listen(b.url, filter);
    cleanup.push(sub.close);
    await waitFor(() => sub.messages.length >= count, `${count} retained messages on ${filter}`);
    await new Promise((r) => setTimeout(r, 100));
    expect(sub.messages.every((m) => m.retain)).toBe(true);
    return new Map(sub.messages.map((m) => [m.topic, m.text]));
  }

  it('publishes retained configs with unique ids, a device block and both availability topics', async () => {
    const b = await broker();
    const { ha } = await start(b, [ALE, LAGER]);
    expect(ha.topics).toEqual([...aleTopics, ...lagerTopics]);

    const found = await retained(b, 'homeassistant/#', 24);
    expect([...found.keys()].sort()).toEqual([...aleTopics, ...lagerTopics].sort());
    const configs = [...found.values()].map((text) => JSON.parse(text));
    const ids = configs.map((c) => c.unique_id);
    expect(new Set(ids).size).toBe(24);
    expect(ids).toContain('cobrew_ale_climate');
    expect(ids).toContain('cobrew_lager_trip');
    for (const c of configs) {
      const ale = c.unique_id.startsWith('cobrew_ale_');
      expect(c.device).toEqual({
        identifiers: [ale ? 'cobrew_ale' : 'cobrew_lager'],
        name: ale ? 'Ale – cuve 1' : 'Lager – cuve 2',
        manufacturer: 'cobrew',
        model: 'simulated fermenter',
        sw_version: '0.1.0',
      });
      expect(c.availability).toEqual([
        { topic: `cobrew/fermenter/${ale ? 'ale' : 'lager'}/availability` },
        { topic: 'cobrew/bridge/cellar/availability' },
      ]);
      expect(c.availability_mode).toBe('all');
      expect(c.origin).toEqual({ name: 'cobrew', sw_version: '0.1.0' });
    }

    const climate = JSON.parse(found.get('homeassistant/climate/cobrew_ale/climate/config') ?? '');
    expect(climate).toMatchObject({
      name: null,
      current_temperature_topic: 'cobrew/fermenter/ale/state',
      current_temperature_template: '{{ value_json.beerC }}',
      temperature_command_topic: 'cobrew/fermenter/ale/set',
      temperature_command_template: '{"targetC": {{ value }} }',
      mode_command_topic: 'cobrew/fermenter/ale/set',
      modes: ['off', 'heat_cool', 'auto'],
      min_temp: Math.min(BeerSetpointValue.minimum ?? 0, ChamberSetpointValue.minimum ?? 0),
      max_temp: Math.max(BeerSetpointValue.maximum ?? 0, ChamberSetpointValue.maximum ?? 0),
      precision: 0.1,
      temperature_unit: 'C',
    });
    expect(JSON.parse(found.get('homeassistant/sensor/cobrew_ale/chamber/config') ?? '')).toMatchObject({
      state_topic: 'cobrew/fermenter/ale/state',
      device_class: 'temperature',
      state_class: 'measurement',
      unit_of_measurement: '°C',
    });
    const gravity = JSON.parse(found.get('homeassistant/sensor/cobrew_ale/gravity/config') ?? '');
    expect(gravity.device_class).toBeUndefined();
    expect(gravity.state_class).toBe('measurement');
    const classes = ['heating', 'cooling', 'trip'].map(
      (k) => JSON.parse(found.get(`homeassistant/binary_sensor/cobrew_ale/${k}/config`) ?? '').device_class,
    );
    expect(classes).toEqual(['heat', 'cold', 'problem']);

    // One small index per fermenter, whatever their number, and the list of fermenters.
    const index = await retained(b, 'cobrew/bridge/cellar/homeassistant/#', 3);
    expect(JSON.parse(index.get('cobrew/bridge/cellar/homeassistant') ?? '')).toEqual({
      fermenters: ['ale', 'lager'],
    });
    expect(JSON.parse(index.get('cobrew/bridge/cellar/homeassistant/ale') ?? '')).toEqual({
      topics: aleTopics,
    });
    expect(JSON.parse(index.get('cobrew/bridge/cellar/homeassistant/lager') ?? '')).toEqual({
      topics: lagerTopics,
    });
  });

  it('publishes everything again when Home Assistant says it is online', async () => {
    const b = await broker();
    await start(b, [ALE]);
    const sub = await listen(b.url, 'homeassistant/+/+/+/config');
    cleanup.push(sub.close);
    await waitFor(() => sub.messages.length === 12, 'the retained configs');

    const hass = await connectAsync(b.url, { reconnectPeriod: 0 });
    cleanup.push(() => hass.endAsync());
    await hass.publishAsync('homeassistant/status', 'offline', { qos: 1 });
    await new Promise((r) => setTimeout(r, 200));
    expect(sub.messages.length).toBe(12);
    await hass.publishAsync('homeassistant/status', 'online', { qos: 1 });
    await waitFor(() => sub.messages.length === 24, 'the configs again');
    const again = sub.messages.slice(12);
    expect(again.map((m) => m.topic).sort()).toEqual([...aleTopics].sort());
    expect(again.map((m) => m.text)).toEqual(sub.messages.slice(0, 12).map((m) => m.text));
  });

  it('clears the entities of a fermenter no longer configured, and only those', async () => {
    const b = await broker();
    const first = await start(b, [ALE, LAGER]);
    await first.stop();

    const watch = await listen(b.url, 'homeassistant/#');
    cleanup.push(watch.close);
    await waitFor(() => watch.messages.length === 24, 'the first run retained configs');
    await start(b, [ALE]);
    await waitFor(
      () => lagerTopics.every((t) => watch.messages.some((m) => m.topic === t && m.text === '')),
      'empty payloads on the removed fermenter topics',
    );
    expect(
      watch.messages
        .filter((m) => m.text === '')
        .map((m) => m.topic)
        .sort(),
    ).toEqual([...lagerTopics].sort());

    // A newcomer finds the remaining fermenter's configs only.
    const found = await retained(b, 'homeassistant/#', 8);
    expect([...found.keys()].sort()).toEqual([...aleTopics].sort());
    const index = await retained(b, 'cobrew/bridge/cellar/homeassistant/#', 2);
    expect([...index.keys()].sort()).toEqual([
      'cobrew/bridge/cellar/homeassistant',
      'cobrew/bridge/cellar/homeassistant/ale',
    ]);
    expect(JSON.parse(index.get('cobrew/bridge/cellar/homeassistant') ?? '').fermenters).toEqual(['ale']);
  });

  it('clears the entities a bridge listed in the single index of earlier versions', async () => {
    const b = await broker();
    const first = await start(b, [ALE, LAGER]);
    await first.stop();
    const old = await connectAsync(b.url, { reconnectPeriod: 0 });
    cleanup.push(() => old.endAsync());
    const index = 'cobrew/bridge/cellar/homeassistant';
    await old.publishAsync(index, JSON.stringify({ topics: [...aleTopics, ...lagerTopics] }), {
      qos: 1,
      retain: true,
    });
    await start(b, [ALE]);
    const found = await retained(b, 'homeassistant/#', 8);
    expect([...found.keys()].sort()).toEqual([...aleTopics].sort());
  });

  it('never clears topics that are not its own, whatever the index says', async () => {
    const b = await broker();
    const other = await connectAsync(b.url, { reconnectPeriod: 0 });
    cleanup.push(() => other.endAsync());
    const foreign = 'homeassistant/sensor/zigbee_kitchen/temperature/config';
    await other.publishAsync(foreign, '{"name":"Kitchen"}', { qos: 1, retain: true });
    await other.publishAsync(
      'cobrew/bridge/cellar/homeassistant',
      JSON.stringify({ topics: [foreign, 'a/#'] }),
      {
        qos: 1,
        retain: true,
      },
    );
    await start(b, [ALE]);
    const found = await retained(b, 'homeassistant/#', 9);
    expect(found.get(foreign)).toBe('{"name":"Kitchen"}');
  });

  it('offers auto (a profile) only to a fermenter with profile steps', () => {
    const modes = (hasProfile?: boolean) => {
      const configs = discoveryFor({ ...ALE, ...(hasProfile === undefined ? {} : { hasProfile }) }, CTX);
      const of = (key: string) => configs.find((m) => m.topic.endsWith(`/${key}/config`))?.config;
      return [of('climate')?.modes, of('mode')?.options];
    };
    expect(modes(true)).toEqual([
      ['off', 'heat_cool', 'auto'],
      ['beer', 'chamber', 'profile', 'off'],
    ]);
    expect(modes(false)).toEqual([
      ['off', 'heat_cool'],
      ['beer', 'chamber', 'off'],
    ]);
    expect(modes()).toEqual(modes(true));
  });

  it('maps Home Assistant actions to commands the set handler accepts, and states to what it shows', () => {
    const byKey = new Map(discoveryFor(ALE, CTX).map((m) => [m.topic.split('/').at(-2), m.config]));
    const [climate, beer, gravity, battery, heating, trip, chamber, mode, last] = [
      'climate',
      'beer',
      'gravity',
      'hydrometer_battery',
      'heating',
      'trip',
      'chamber_target',
      'mode',
      'last_command',
    ].map((k) => byKey.get(k));
    if (!climate || !beer || !gravity || !battery || !heating || !trip || !chamber || !mode || !last) {
      throw new Error('missing configs');
    }
    const tpl = (config: Record<string, unknown>, key: string) => config[key] as string;

    expect(parseCommand(render(tpl(climate, 'temperature_command_template'), { value: 18.5 }))).toEqual({
      targetC: 18.5,
    });
    expect(parseCommand(render(tpl(chamber, 'command_template'), { value: 9.5 }))).toEqual({
      chamberSetpointC: 9.5,
    });
    for (const option of mode.options as string[]) {
      expect(parseCommand(render(tpl(mode, 'command_template'), { value: option }))).toEqual({
        mode: option,
      });
    }
    for (const [haMode, mode] of Object.entries(HA_MODE_TO_COBREW)) {
      expect(parseCommand(render(tpl(climate, 'mode_command_template'), { value: haMode }))).toEqual({
        mode,
      });
    }

    const state = sampleState('ale', {
      beerC: 18.52,
      beerSetpointC: 18,
      outputs: { heat: false, cool: true },
    });
    const vars = { value_json: state, value: JSON.stringify(state) };
    expect(render(tpl(climate, 'current_temperature_template'), vars)).toBe('18.52');
    expect(render(tpl(climate, 'temperature_state_template'), vars)).toBe('18');
    // Chamber mode shows the chamber target, which the beer setpoint (null then) does not.
    const inChamber = {
      value_json: { ...state, mode: 'chamber', beerSetpointC: null, chamberSetpointC: 9.5 },
    };
    expect(render(tpl(climate, 'temperature_state_template'), inChamber)).toBe('9.5');
    expect(render(tpl(chamber, 'value_template'), inChamber)).toBe('9.5');
    expect(render(tpl(mode, 'value_template'), inChamber)).toBe('chamber');
    const refusal = { status: 'error', error: { code: 'COBREW_ERR_TARGET_IN_PROFILE', message: 'm' } };
    expect(render(tpl(last, 'value_template'), { value_json: refusal })).toBe('COBREW_ERR_TARGET_IN_PROFILE');
    expect(render(tpl(last, 'value_template'), { value_json: { status: 'ok' } })).toBe('ok');
    expect(render(tpl(climate, 'action_template'), vars)).toBe('cooling');
    for (const [mode, haMode] of Object.entries(COBREW_MODE_TO_HA)) {
      const v = { value_json: { ...state, mode } };
      expect(render(tpl(climate, 'mode_state_template'), v)).toBe(haMode);
    }
    expect(render(tpl(climate, 'action_template'), { value_json: { ...state, mode: 'off' } })).toBe('off');
    const idle = { value_json: { ...state, outputs: { heat: false, cool: false } } };
    expect(render(tpl(climate, 'action_template'), idle)).toBe('idle');
    expect(render(tpl(beer, 'value_template'), vars)).toBe('18.52');
    expect(render(tpl(gravity, 'value_template'), vars)).toBe('1.0423');
    expect(battery).toMatchObject({ device_class: 'voltage', unit_of_measurement: 'V' });
    expect(render(tpl(battery, 'value_template'), vars)).toBe(String(state.hydrometerBatteryV));
    // An untrusted probe reads null: Home Assistant takes "None" as unknown.
    expect(render(tpl(beer, 'value_template'), { value_json: { ...state, beerC: null } })).toBe('None');
    expect(render(tpl(heating, 'value_template'), vars)).toBe('OFF');
    const tripped = {
      ...state,
      safety: { status: 'tripped', trips: ['COBREW_ERR_SENSOR_STALE'], alarms: [] },
    };
    expect(render(tpl(trip, 'value_template'), { value_json: tripped })).toBe('ON');
    expect(JSON.parse(render(tpl(trip, 'json_attributes_template'), { value_json: tripped }))).toEqual(
      tripped.safety,
    );
  });

  it('uses its own discovery prefix, and a board kind for the model', async () => {
    const b = await broker();
    const { ha } = await start(b, [{ id: 'ipa', name: 'IPA', boardKind: 'rpi' }], {
      discoveryPrefix: 'hass',
    });
    expect(ha.topics[0]).toBe('hass/climate/cobrew_ipa/climate/config');
    const found = await retained(b, 'hass/#', 8);
    expect(JSON.parse(found.get('hass/sensor/cobrew_ipa/beer/config') ?? '').device.model).toBe('rpi');
  });
});
