// cobrew.yaml's external broker (mqtt.url and its credentials) and iSpindel mapping: accepted when sound,
// refused with a line a person can act on otherwise.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/config/load.js';
import { createLogger } from '../../app/log.js';
import { openMqttLink, withoutCredentials } from '../../app/mqtt-link.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cobrew-config-mqtt-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function load(text: string) {
  await writeFile(join(dir, 'cobrew.yaml'), text);
  return loadConfig({ flags: { dataDir: dir }, env: {} });
}

async function refusal(text: string): Promise<string> {
  return load(text).then(
    () => expect.fail('the configuration was accepted'),
    (err: { code: string; message: string }) => {
      expect(err.code).toBe('COBREW_ERR_CONFIG_INVALID');
      return err.message;
    },
  );
}

describe('external broker settings', () => {
  it.each([
    'mqtt://broker.lan',
    'mqtts://broker.lan:8883',
    'ws://127.0.0.1:9001/mqtt',
    'wss://[::1]:443/mqtt',
    'mqtt://user:secret@broker.lan:1883',
  ])('accepts %s', async (url) => {
    const { config } = await load(`mqtt: { url: "${url}", username: cobrew, password: pw }`);
    expect(config.mqtt.url).toBe(url);
  });

  it.each(['http://broker.lan', 'tcp://broker.lan:1883', 'broker.lan:1883', 'mqtt://', 'mqtt:// broker'])(
    'refuses %s, naming the schemes it takes',
    async (url) => {
      const message = await refusal(`mqtt: { url: "${url}" }`);
      expect(message).toContain(
        `  - mqtt.url: ${JSON.stringify(url)} is not allowed; give a broker URL starting with mqtt://, mqtts://, ws:// or wss://, e.g. mqtts://broker.lan:8883`,
      );
      expect(message).not.toContain('pattern');
    },
  );

  it('refuses a URL that does not parse', async () => {
    expect(await refusal('mqtt: { url: "mqtt://[broker" }')).toContain(
      '  - mqtt.url: "mqtt://[broker" is not a valid URL',
    );
  });

  it('refuses credentials and a CA without an external broker, and a CA without TLS', async () => {
    expect(await refusal('mqtt: { username: cobrew, password: pw }')).toContain(
      '  - mqtt.username: only used with an external broker; set mqtt.url too',
    );
    expect(await refusal('mqtt: { url: "mqtt://broker.lan", password: pw }')).toContain(
      '  - mqtt.password: given without mqtt.username',
    );
    expect(await refusal('mqtt: { url: "ws://broker.lan/mqtt", ca: ca.pem }')).toContain(
      '  - mqtt.ca: only used with TLS; mqtt.url "ws://broker.lan/mqtt" is not encrypted, use mqtts:// or wss://',
    );
  });

  it('refuses a managed Mosquitto beside an external broker, or on port 0', async () => {
    expect(await refusal('mqtt: { port: 0, mosquitto: { managed: true } }')).toContain(
      '  - mqtt.port: Mosquitto run by cobrew needs a fixed port',
    );
    expect(await refusal('mqtt: { url: "mqtt://broker.lan", mosquitto: { managed: true } }')).toContain(
      '  - mqtt.mosquitto.managed: cobrew runs Mosquitto itself only when there is no mqtt.url; remove one of them',
    );
  });

  it('reads the CA file relative to cobrew.yaml', async () => {
    const { config } = await load('mqtt: { url: "mqtts://broker.lan:8883", ca: certs/ca.pem }');
    expect(config.mqtt.ca).toBe(join(dir, 'certs', 'ca.pem'));
  });

  it('takes credentials written in the URL out of it, so that no client logs them', async () => {
    const { config } = await load('mqtt: { url: "mqtt://cobrew:wort%20%26%20hops@broker.lan:1883" }');
    const link = await openMqttLink({
      config: config.mqtt,
      dataDir: dir,
      bridgeId: 'test-bridge',
      fermenterIds: [],
      log: createLogger({ level: 'silent' }),
    });
    expect(link).toMatchObject({ kind: 'external', url: 'mqtt://broker.lan:1883', username: 'cobrew' });
    expect(link.bridge).toEqual({ username: 'cobrew', password: 'wort & hops' });
    expect(link.dashboard).toEqual(link.bridge);
    await link.close();
  });

  it('never shows the credentials of a URL', () => {
    expect(withoutCredentials('mqtt://user:secret@broker.lan:1883')).toBe('mqtt://broker.lan:1883');
    expect(withoutCredentials('wss://user:secret@broker.lan/mqtt')).toBe('wss://broker.lan/mqtt');
  });
});

describe('Brewfather push', () => {
  it('takes a stream URL and listed fermenters, 15 minutes apart at the least', async () => {
    const { config } = await load(
      'brewfather: { streamUrl: "http://log.brewfather.net/stream?id=abc", fermenters: [ale] }',
    );
    expect(config.brewfather).toEqual({
      streamUrl: 'http://log.brewfather.net/stream?id=abc',
      fermenters: ['ale'],
      intervalS: 900,
      retryMinS: 30,
      timeoutMs: 10_000,
    });
    expect(await refusal('brewfather: { streamUrl: "http://x/stream?id=a", fermenters: [stout] }')).toContain(
      '  - brewfather.fermenters[0]: "stout" is not a configured fermenter',
    );
    expect(
      await refusal('brewfather: { streamUrl: "http://x/stream?id=a", fermenters: [ale], intervalS: 60 }'),
    ).toContain('brewfather.intervalS');
  });
});

describe('Tilt mapping', () => {
  it('maps Tilt colours to fermenters with an offset, each colour once', async () => {
    const { config } = await load('tilts: [{ colour: purple, fermenter: ale, gravityOffset: -0.002 }]');
    expect(config.tilts).toEqual([{ colour: 'purple', fermenter: 'ale', gravityOffset: -0.002 }]);
    expect((await load('http: { port: 8080 }')).config.tilts).toEqual([]);
    const message = await refusal(
      'tilts: [{ colour: red, fermenter: ale }, { colour: red, fermenter: stout }]',
    );
    expect(message).toContain('  - tilts[1].fermenter: "stout" is not a configured fermenter');
    expect(message).toContain('  - tilts[1].colour: red is used twice; a colour is one Tilt');
    expect(await refusal('tilts: [{ colour: brown, fermenter: ale }]')).toContain('tilts[0].colour');
  });
});

describe('iSpindel mapping', () => {
  it('maps iSpindel names to configured fermenters, none by default', async () => {
    expect((await load('http: { port: 8080 }')).config.ispindels).toEqual([]);
    const { config } = await load('ispindels: [{ name: "Cuve 1", fermenter: lager }]');
    expect(config.ispindels).toEqual([{ name: 'Cuve 1', fermenter: 'lager' }]);
  });

  it('refuses an unknown fermenter, a name used twice and a name that cannot be a topic level', async () => {
    const message = await refusal(
      [
        'ispindels:',
        '  - { name: blue, fermenter: ale }',
        '  - { name: blue, fermenter: lager }',
        '  - { name: green, fermenter: stout }',
      ].join('\n'),
    );
    expect(message).toContain(
      '  - ispindels[2].fermenter: "stout" is not a configured fermenter; use one of "ale", "lager"',
    );
    expect(message).toContain('  - ispindels[1].name: "blue" is not allowed; ispindels[0] already uses it');
    expect(await refusal('ispindels: [{ name: "a/b", fermenter: ale }]')).toContain('ispindels[0].name:');
  });

  it('takes a unit, a token, calibration points and a calibration temperature per iSpindel', async () => {
    const { config } = await load(
      [
        'ispindels:',
        '  - name: blue',
        '    fermenter: ale',
        '    unit: plato',
        '    token: s3cret-token',
        '    calibratedAtC: 20',
        '    calibration: { points: [{ angle: 25, gravity: 1.0 }, { angle: 60, gravity: 1.07 }] }',
      ].join('\n'),
    );
    expect(config.ispindels[0]).toEqual({
      name: 'blue',
      fermenter: 'ale',
      unit: 'plato',
      token: 's3cret-token',
      calibratedAtC: 20,
      calibration: {
        points: [
          { angle: 25, gravity: 1 },
          { angle: 60, gravity: 1.07 },
        ],
        degree: 2,
      },
    });
    expect(await refusal('ispindels: [{ name: b, fermenter: ale, unit: brix }]')).toContain(
      'ispindels[0].unit',
    );
    expect(await refusal('ispindels: [{ name: b, fermenter: ale, token: short }]')).toContain(
      'ispindels[0].token',
    );
    expect(
      await refusal(
        'ispindels: [{ name: b, fermenter: ale, calibration: { points: [{ angle: 30, gravity: 1.01 }, { angle: 30, gravity: 1.02 }] } }]',
      ),
    ).toContain('ispindels[0].calibration.points: the calibration points do not determine a polynomial');
  });
});
