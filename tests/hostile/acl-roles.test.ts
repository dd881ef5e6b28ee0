// From the mutation check: every role's MQTT rules, as plain expectations (no broker, no timeout).
import { describe, expect, it } from 'vitest';
import { Acl, type Principal, rulesFor } from '../../broker/acl.js';

const acl = (p: Principal) => new Acl(rulesFor(p, 'cobrew'));

describe('MQTT rules of each role', () => {
  it('bridge: its own fermenters, its own discovery, nothing else', () => {
    const a = acl({ name: 'north', role: 'bridge', fermenters: ['ale'] });
    expect(a.mayPublish('cobrew/fermenter/ale/state')).toBe(true);
    expect(a.mayPublish('cobrew/fermenter/lager/state')).toBe(false);
    expect(a.mayPublish('homeassistant/sensor/cobrew_ale/beer/config')).toBe(true);
    expect(a.mayPublish('homeassistant/sensor/cobrew_lager/beer/config')).toBe(false);
    expect(a.mayReceive('cobrew/fermenter/ale/set')).toBe(true);
    expect(a.mayReceive('cobrew/fermenter/lager/set')).toBe(false);
    expect(a.maySubscribe('$SYS/#')).toBe(false);
  });

  it("service: commands and Home Assistant's status; no discovery, no states", () => {
    const a = acl({ name: 'dashboard', role: 'service' });
    expect(a.mayPublish('cobrew/fermenter/ale/set')).toBe(true);
    expect(a.mayPublish('homeassistant/status')).toBe(true);
    expect(a.mayPublish('homeassistant/sensor/cobrew_ale/beer/config')).toBe(false);
    expect(a.mayPublish('cobrew/fermenter/ale/state')).toBe(false);
    expect(a.mayReceive('ispindel/x/tilt')).toBe(true);
    expect(a.mayReceive('$SYS/broker/uptime')).toBe(false);
  });

  it('viewer: reads cobrew topics only, publishes nothing', () => {
    const a = acl({ name: 'eve', role: 'viewer' });
    expect(a.mayPublish('cobrew/fermenter/ale/set')).toBe(false);
    expect(a.mayReceive('cobrew/fermenter/ale/state')).toBe(true);
    expect(a.mayReceive('ispindel/x/tilt')).toBe(false);
    expect(a.maySubscribe('#')).toBe(true);
    expect(a.mayReceive('homeassistant/status')).toBe(false);
  });

  it('ispindel: its own topics only', () => {
    const a = acl({ name: 'green', role: 'ispindel' });
    expect(a.mayPublish('ispindel/green/gravity')).toBe(true);
    expect(a.mayPublish('ispindel/blue/gravity')).toBe(false);
    expect(a.mayPublish('cobrew/fermenter/ale/set')).toBe(false);
    expect(a.maySubscribe('#')).toBe(false);
  });
});
