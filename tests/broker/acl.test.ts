import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Acl, overlap, rulesFor } from '../../broker/acl.js';
import { closedByBroker, type Rig, startRig } from './auth-rig.js';
import { waitFor } from './helpers.js';

const split = (t: string) => t.split('/');

describe('topic matching', () => {
  it.each([
    ['cobrew/#', 'cobrew/fermenter/ale/state', true],
    ['cobrew/#', 'cobrew', true],
    ['cobrew/#', 'cobre/x', false],
    ['cobrew/fermenter/+/set', 'cobrew/fermenter/ale/set', true],
    ['cobrew/fermenter/+/set', 'cobrew/fermenter/ale/set/response', false],
    ['cobrew/fermenter/+/set', 'cobrew/fermenter/set', false],
    ['#', '$SYS/broker/heartbeat', false],
    ['+/broker/heartbeat', '$SYS/broker/heartbeat', false],
    ['#', 'cobrew/anything', true],
  ])('%s matches the topic %s: %s', (pattern, topic, expected) => {
    expect(overlap(split(pattern), split(topic))).toBe(expected);
  });

  it.each([
    ['cobrew/#', '#', true],
    ['cobrew/#', '+/fermenter/#', true],
    ['cobrew/#', '$SYS/#', false],
    ['cobrew/#', 'ispindel/#', false],
    ['cobrew/fermenter/ale/set', 'cobrew/fermenter/+/set', true],
    ['cobrew/fermenter/ale/set', 'cobrew/fermenter/lager/set', false],
    ['cobrew/fermenter/ale/set', 'cobrew/fermenter/+/state', false],
    ['#', '$SYS/#', false],
    ['#', '+/#', true],
  ])('%s and the filter %s overlap: %s', (pattern, filter, expected) => {
    expect(overlap(split(pattern), split(filter))).toBe(expected);
  });

  it('builds each role from the base topic', () => {
    const bridge = new Acl(rulesFor({ name: 'b1', role: 'bridge', fermenters: ['ale'] }, 'site/brewery'));
    expect(bridge.mayPublish('site/brewery/fermenter/ale/state')).toBe(true);
    expect(bridge.mayPublish('site/brewery/bridge/b1/availability')).toBe(true);
    expect(bridge.mayPublish('site/brewery/bridge/b2/availability')).toBe(false);
    expect(bridge.mayPublish('homeassistant/climate/site_brewery_ale/climate/config')).toBe(true);
    expect(bridge.mayPublish('homeassistant/climate/site_brewery_lager/climate/config')).toBe(false);
    expect(bridge.mayPublish('cobrew/fermenter/ale/state')).toBe(false);
    expect(bridge.mayReceive('site/brewery/fermenter/ale/set')).toBe(true);
    expect(bridge.mayReceive('site/brewery/fermenter/ale/state')).toBe(false);

    const ispindel = new Acl(rulesFor({ name: 'red', role: 'ispindel' }, 'cobrew'));
    expect(ispindel.mayPublish('ispindel/red/gravity')).toBe(true);
    expect(ispindel.mayPublish('ispindel/blue/gravity')).toBe(false);
    expect(ispindel.mayPublish('homeassistant/sensor/iSpindel_red/tilt/config')).toBe(true);
    expect(ispindel.mayPublish('homeassistant/sensor/iSpindel_blue/tilt/config')).toBe(false);
    expect(ispindel.mayPublish('homeassistant/climate/iSpindel_red/x/config')).toBe(false);
    expect(ispindel.maySubscribe('#')).toBe(false);
  });
});

describe('roles on the embedded broker', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig();
  });
  afterAll(async () => {
    await rig.close();
  });

  it('lets a bridge publish its own fermenters and its bridge topics, which a viewer reads', async () => {
    const viewer = await rig.listen(await rig.client('viewer'), 'cobrew/#');
    const bridge = await rig.client('bridgeA');
    const allowed = [
      'cobrew/fermenter/ale/state',
      'cobrew/fermenter/ale/incident',
      'cobrew/fermenter/ale/availability',
      'cobrew/fermenter/ale/set/response',
      'cobrew/bridge/bridge-a/availability',
    ];
    for (const topic of allowed) await bridge.publishAsync(topic, 'x', { qos: 1 });
    await waitFor(() => allowed.every((t) => viewer.messages.some((m) => m.topic === t)), 'every topic');
    expect(bridge.connected).toBe(true);
  });

  it("refuses bridge A publishing fermenter B's state: dropped, logged, disconnected", async () => {
    const service = await rig.listen(await rig.client('service'), 'cobrew/#');
    const bridgeA = await rig.client('bridgeA');
    const gone = closedByBroker(bridgeA);
    bridgeA.publish('cobrew/fermenter/lager/state', '{"id":"lager","beerC":99}', { qos: 1 });
    await gone;
    await rig.stillServing();
    expect(service.messages.filter((m) => m.topic === 'cobrew/fermenter/lager/state')).toEqual([]);
    expect(rig.lines).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        user: 'bridge-a',
        topic: 'cobrew/fermenter/lager/state',
        msg: expect.stringContaining('MQTT publish refused'),
      }),
    );
  });

  it('gives a bridge only the commands of its own fermenters, whatever filter it subscribes', async () => {
    const bridgeA = await rig.client('bridgeA');
    const other = await rig.listen(bridgeA, 'cobrew/fermenter/lager/set');
    expect(other.granted).toEqual([128]);
    const wide = await rig.listen(bridgeA, 'cobrew/fermenter/+/set');
    expect(wide.granted).toEqual([1]);
    const service = await rig.client('service');
    await service.publishAsync('cobrew/fermenter/lager/set', '{"mode":"off"}', { qos: 1 });
    await service.publishAsync('cobrew/fermenter/ale/set', '{"mode":"beer"}', { qos: 1 });
    await waitFor(() => wide.messages.length > 0, 'the command for ale');
    await rig.stillServing();
    expect(wide.messages.map((m) => m.topic)).toEqual(['cobrew/fermenter/ale/set']);
  });

  it("grants the bridge what cobrew's bridge-side clients subscribe, in one SUBSCRIBE", async () => {
    const bridgeA = await rig.client('bridgeA');
    const grants = await bridgeA.subscribeAsync(
      [
        'cobrew/fermenter/+/set',
        'cobrew/fermenter/+/availability',
        'cobrew/bridge/bridge-a/homeassistant',
        'homeassistant/status',
      ],
      { qos: 1 },
    );
    expect(grants.map((g) => g.qos)).toEqual([1, 1, 1, 1]);
    await bridgeA.publishAsync('homeassistant/climate/cobrew_ale/climate/config', '{}', { qos: 1 });
    await bridgeA.publishAsync('cobrew/bridge/bridge-a/homeassistant', '{"topics":[]}', { qos: 1 });
    expect(bridgeA.connected).toBe(true);
  });

  it('refuses a viewer $SYS/# with the failure code and gives its # only <base>/…', async () => {
    const viewer = await rig.client('viewer');
    const sys = await rig.listen(viewer, '$SYS/#');
    expect(sys.granted).toEqual([128]);
    const all = await rig.listen(viewer, '#');
    expect(all.granted).toEqual([1]);
    const ispindel = await rig.client('ispindel');
    await ispindel.publishAsync('ispindel/iSpindel042/gravity', '1.042', { qos: 1 });
    await rig.stillServing();
    expect(all.messages.map((m) => m.topic)).not.toContain('ispindel/iSpindel042/gravity');
    expect(all.messages.every((m) => m.topic.startsWith('cobrew/'))).toBe(true);
    expect(viewer.connected).toBe(true);
    expect(rig.lines).toContainEqual(
      expect.objectContaining({ level: 'warn', user: 'eve', filter: '$SYS/#' }),
    );
  });

  it('refuses any publish by a viewer', async () => {
    const service = await rig.listen(await rig.client('service'), '#');
    const viewer = await rig.client('viewer');
    const gone = closedByBroker(viewer);
    viewer.publish('cobrew/fermenter/ale/set', '{"mode":"off"}', { qos: 1 });
    await gone;
    await rig.stillServing();
    expect(service.messages.map((m) => m.topic)).not.toContain('cobrew/fermenter/ale/set');
  });

  it("lets the service read everything, send commands and Home Assistant's status, and nothing else", async () => {
    const service = await rig.client('service');
    const all = await rig.listen(service, '#');
    expect((await rig.listen(service, '$SYS/#')).granted).toEqual([128]);
    const ispindel = await rig.client('ispindel');
    await ispindel.publishAsync('ispindel/iSpindel042/tilt', '62.1', { qos: 1 });
    await service.publishAsync('cobrew/fermenter/ale/set', '{}', { qos: 1 });
    await service.publishAsync('homeassistant/status', 'online', { qos: 1 });
    const expected = ['ispindel/iSpindel042/tilt', 'cobrew/fermenter/ale/set', 'homeassistant/status'];
    await waitFor(() => expected.every((t) => all.messages.some((m) => m.topic === t)), 'all three messages');
    const gone = closedByBroker(service);
    service.publish('cobrew/fermenter/ale/state', '{}', { qos: 1 });
    await gone;
    await rig.stillServing();
  });

  it('keeps an iSpindel to ispindel/<its name>/#', async () => {
    const ispindel = await rig.client('ispindel');
    expect((await rig.listen(ispindel, 'cobrew/#')).granted).toEqual([128]);
    const gone = closedByBroker(ispindel);
    ispindel.publish('ispindel/someone-else/gravity', '1.000', { qos: 1 });
    await gone;
    await rig.stillServing();
  });

  it('lets an iSpindel announce itself to Home Assistant within its own name, as its firmware does', async () => {
    const service = await rig.client('service');
    const all = await rig.listen(service, 'homeassistant/#');
    const ispindel = await rig.client('ispindel');
    // iSpindel firmware 7.2+ with "Home Assistant Integration via MQTT" ticked: retained sensor configs.
    const topic = 'homeassistant/sensor/iSpindel_iSpindel042/gravity/config';
    await ispindel.publishAsync(topic, '{"name":"iSpindel042 gravity"}', { qos: 1, retain: true });
    await waitFor(() => all.messages.some((m) => m.topic === topic), 'the iSpindel discovery config');
    expect(ispindel.connected).toBe(true);
    const gone = closedByBroker(ispindel);
    ispindel.publish('homeassistant/sensor/iSpindel_someone-else/gravity/config', '{}', { qos: 1 });
    await gone;
    await rig.stillServing();
  });

  it('lets nobody publish on $SYS', async () => {
    const service = await rig.client('service');
    const gone = closedByBroker(service);
    service.publish('$SYS/fake/uptime', '0', { qos: 0 });
    await gone;
    await rig.stillServing();
  });
});
