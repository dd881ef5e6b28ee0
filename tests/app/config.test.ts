import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ConfigSources, loadConfig, resolveDataDir } from '../../app/config/load.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cobrew-config-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeConfig(text: string, name = 'cobrew.yaml'): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

async function failure(sources: ConfigSources): Promise<{ code: string; message: string }> {
  return loadConfig(sources).then(
    () => expect.fail('the configuration was accepted'),
    (err: { code: string; message: string }) => err,
  );
}

describe('configuration', () => {
  it('runs two simulated fermenters when there is no file, and says so', async () => {
    const told: string[] = [];
    const { config, file, dataDir } = await loadConfig({
      flags: { dataDir: dir },
      env: {},
      onDefaults: (f) => told.push(f),
    });
    expect(file).toBeNull();
    expect(dataDir).toBe(dir);
    expect(told).toEqual([join(dir, 'cobrew.yaml')]);
    expect(config.http).toEqual({
      host: '127.0.0.1',
      port: 8080,
      trustProxy: false,
      secureCookies: 'auto',
      allowedHosts: [],
      publicStatus: false,
    });
    expect(config.mqtt).toEqual({
      host: '127.0.0.1',
      port: 1883,
      wsPort: 9001,
      baseTopic: 'cobrew',
      statePeriodMs: 1000,
      backlog: { maxReadings: 500_000, maxMb: 128 },
      anonymous: 'refuse',
      limits: {
        maxTopicLevels: 8,
        maxPacketBytes: 65536,
        maxConnections: 100,
        maxConnectionsPerUser: 10,
        loginFailuresPerAddress: 5,
        publishesPerSecond: 50,
        publishBurst: 100,
        publishesPerFermenter: 25,
        burstPerFermenter: 20,
      },
      mosquitto: { managed: false, binary: '/usr/sbin/mosquitto' },
    });
    expect(config.sim.speed).toBe(1);
    expect(config.fermenters.map((f) => [f.id, f.name])).toEqual([
      ['ale', 'Ale – cuve 1'],
      ['lager', 'Lager – cuve 2'],
    ]);
    const [ale, lager] = config.fermenters;
    expect(ale?.control).toMatchObject({ mode: 'beer', beerSetpointC: 18 });
    expect(ale?.board).toMatchObject({ type: 'sim', heaterMount: 'chamber' });
    expect(lager?.control).toMatchObject({ mode: 'beer', beerSetpointC: 10 });
    expect(lager?.board.heaterMount).toBe('vessel');
    const room = (f: typeof ale) => (f?.board.type === 'sim' ? f.board.ambientMeanC : Number.NaN);
    expect(room(lager)).toBeLessThan(room(ale));
    // Defaults are filled all the way down, as for a fermenter written in the file.
    expect(ale?.safety.cool.minOffS).toBe(300);
  });

  it('fills defaults around what the file says', async () => {
    await writeConfig(
      'mqtt:\n  baseTopic: brasserie\nfermenters:\n  - id: ipa\n    name: IPA\n    board: {type: sim}\n',
    );
    const { config, file } = await loadConfig({ flags: { dataDir: dir }, env: {} });
    expect(file).toBe(join(dir, 'cobrew.yaml'));
    expect(config.mqtt).toMatchObject({ baseTopic: 'brasserie', port: 1883 });
    expect(config.fermenters.map((f) => f.id)).toEqual(['ipa']);
    expect(config.fermenters[0]?.control.beerSetpointC).toBe(18);
  });

  it('names the file, line and column of a YAML syntax error', async () => {
    const file = await writeConfig('http:\n  port: 8080\nmqtt:\n  port: [1883\nsim: {speed: 2}\n');
    const err = await failure({ flags: { dataDir: dir }, env: {} });
    expect(err.code).toBe('COBREW_ERR_CONFIG_INVALID');
    expect(err.message).toContain(`${file} is not valid YAML`);
    expect(err.message).toContain(
      `${file}:5:1: Flow sequence in block collection must be sufficiently indented`,
    );
    expect(err.message).toContain('    sim: {speed: 2}\n    ^');
  });

  it('lists every schema problem with key path, bad value and what is allowed', async () => {
    await writeConfig(
      [
        'http:',
        '  port: 70000',
        'sim:',
        '  speed: 0',
        'fermenters:',
        '  - id: ale',
        '    name: Ale',
        '    board: {type: sim}',
        '    control: {mode: bear}',
        'colour: blue',
      ].join('\n'),
    );
    const err = await failure({ flags: { dataDir: dir }, env: {} });
    expect(err.code).toBe('COBREW_ERR_CONFIG_INVALID');
    expect(err.message).toContain(join(dir, 'cobrew.yaml'));
    expect(err.message).toContain('http.port: 70000 is not allowed; it must be <= 65535');
    expect(err.message).toContain('sim.speed: 0 is not allowed; it must be > 0');
    expect(err.message).toContain(
      'fermenters[0].control.mode: "bear" is not allowed; use one of "off", "beer", "chamber", "profile"',
    );
    expect(err.message).toContain('colour: unknown key');
  });

  it('refuses two fermenters with the same id', async () => {
    await writeConfig(
      'fermenters:\n  - {id: ale, name: A, board: {type: sim}}\n  - {id: ipa, name: B, board: {type: sim}}\n' +
        '  - {id: ale, name: C, board: {type: sim}}\n',
    );
    const err = await failure({ flags: { dataDir: dir }, env: {} });
    expect(err.code).toBe('COBREW_ERR_CONFIG_INVALID');
    expect(err.message).toContain('fermenters[2].id: "ale" is not allowed; fermenters[0] already uses it');
  });

  it('refuses air limits that contradict one another, naming each and its fix', async () => {
    await writeConfig(
      [
        'fermenters:',
        '  - id: ale',
        '    name: Ale',
        '    board: {type: sim}',
        '    control: {chamberMinC: 20, chamberMaxC: 10}',
        '    safety: {beer: {minC: 30, maxC: 30}, chamber: {minC: 10, maxC: 50}, overTempC: 13}',
      ].join('\n'),
    );
    const err = await failure({ flags: { dataDir: dir }, env: {} });
    expect(err.code).toBe('COBREW_ERR_CONFIG_INVALID');
    expect(err.message).toContain('fermenters[0].safety.beer.minC: 30 is not allowed; it must be below');
    expect(err.message).toContain('fermenters[0].control.chamberMinC: 20 is not allowed; it must be below');
    expect(err.message).toContain('fermenters[0].safety.overTempC: 13 is not allowed;');
    expect(err.message).toContain('widen safety.chamber or raise safety.overTempC');
  });

  it('takes air limits with room for an air target between them', async () => {
    await writeConfig(
      'fermenters:\n  - id: ale\n    name: Ale\n    board: {type: sim}\n    safety: {chamber: {minC: 10, maxC: 50}, overTempC: 14}\n',
    );
    const { config } = await loadConfig({ flags: { dataDir: dir }, env: {} });
    expect(config.fermenters[0]?.safety.overTempC).toBe(14);
  });

  it("checks the tariff's time zone, UTC by default", async () => {
    const { config } = await loadConfig({ flags: { dataDir: dir }, env: {} });
    expect(config.tariff.timeZone).toBe('UTC');
    await writeConfig('tariff: {timeZone: Europe/Paris}\n');
    expect((await loadConfig({ flags: { dataDir: dir }, env: {} })).config.tariff.timeZone).toBe(
      'Europe/Paris',
    );
    await writeConfig('tariff: {timeZone: Europe/Atlantis}\n');
    const err = await failure({ flags: { dataDir: dir }, env: {} });
    expect(err.code).toBe('COBREW_ERR_CONFIG_INVALID');
    expect(err.message).toContain(
      '  - tariff.timeZone: "Europe/Atlantis" is not a time zone; use an IANA name, e.g. Europe/Paris',
    );
  });

  it('takes a flag over an environment variable over the file over the default', async () => {
    await writeConfig('http: {port: 9000}\nmqtt: {port: 9100, wsPort: 9200}\nsim: {speed: 10}\n');
    const env = {
      COBREW_HTTP_PORT: '9001',
      COBREW_MQTT_PORT: '9101',
      COBREW_WS_PORT: '9201',
      COBREW_SPEED: '20',
    };
    const flags = { dataDir: dir, httpPort: '9002', mqttPort: '9102', wsPort: '9202', speed: '30' };
    const picked = (c: Awaited<ReturnType<typeof loadConfig>>['config']) => [
      c.http.port,
      c.mqtt.port,
      c.mqtt.wsPort,
      c.sim.speed,
    ];

    expect(picked((await loadConfig({ flags, env })).config)).toEqual([9002, 9102, 9202, 30]);
    expect(picked((await loadConfig({ flags: { dataDir: dir }, env })).config)).toEqual([
      9001, 9101, 9201, 20,
    ]);
    expect(picked((await loadConfig({ flags: { dataDir: dir }, env: {} })).config)).toEqual([
      9000, 9100, 9200, 10,
    ]);

    const empty = join(dir, 'empty');
    await mkdir(empty);
    const fromDefaults = (await loadConfig({ flags: { dataDir: empty }, env: {} })).config;
    expect(picked(fromDefaults)).toEqual([8080, 1883, 9001, 1]);
  });

  it("refuses broker limits that would cut off cobrew's own topics", async () => {
    await writeConfig('mqtt:\n  baseTopic: site/brewery/cellar\n  limits: {maxTopicLevels: 6}\n');
    const err = await failure({ flags: { dataDir: dir }, env: {} });
    expect(err.code).toBe('COBREW_ERR_CONFIG_INVALID');
    expect(err.message).toContain(
      'mqtt.limits.maxTopicLevels: 6 is not allowed with mqtt.baseTopic "site/brewery/cellar"; ' +
        "cobrew's own topics reach 7 levels",
    );

    await writeConfig(
      'mqtt:\n  limits: {maxPacketBytes: 10, publishesPerSecond: 0}\n  anonymous: everyone\n',
    );
    const bad = await failure({ flags: { dataDir: dir }, env: {} });
    expect(bad.message).toContain('mqtt.limits.maxPacketBytes: 10 is not allowed; it must be >= 1024');
    expect(bad.message).toContain('mqtt.limits.publishesPerSecond: 0 is not allowed; it must be > 0');
    expect(bad.message).toContain('mqtt.anonymous: "everyone" is not allowed; use one of "refuse", "viewer"');
  });

  it('says which flag or variable carried a bad value', async () => {
    const notNumber = await failure({ flags: { dataDir: dir }, env: { COBREW_HTTP_PORT: 'eighty' } });
    expect(notNumber.message).toContain('COBREW_HTTP_PORT: "eighty" is not a number');

    const outOfRange = await failure({ flags: { dataDir: dir, speed: '-3' }, env: {} });
    expect(outOfRange.message).toContain('sim.speed: -3 is not allowed');
    expect(outOfRange.message).toContain('(sim.speed was set by --speed)');
  });

  it('reads --config instead of the data directory file, and refuses one that does not exist', async () => {
    const other = await writeConfig('http: {port: 9300}\n', 'elsewhere.yaml');
    const { config, file } = await loadConfig({ flags: { dataDir: dir, config: other }, env: {} });
    expect(file).toBe(other);
    expect(config.http.port).toBe(9300);

    const err = await failure({ flags: { config: join(dir, 'missing.yaml') }, env: {} });
    expect(err.code).toBe('COBREW_ERR_CONFIG_INVALID');
    expect(err.message).toContain('missing.yaml: cannot read the configuration file: no such file');
  });

  it('finds the data directory: flag, COBREW_DATA_DIR, XDG_DATA_HOME, then ~/.local/share', () => {
    const env = { COBREW_DATA_DIR: '/srv/cobrew', XDG_DATA_HOME: '/data' };
    expect(resolveDataDir({ flags: { dataDir: '/opt/brew' }, env })).toBe('/opt/brew');
    expect(resolveDataDir({ env })).toBe('/srv/cobrew');
    expect(resolveDataDir({ env: { XDG_DATA_HOME: '/data' } })).toBe('/data/cobrew');
    expect(resolveDataDir({ env: {}, homeDir: '/home/ada' })).toBe('/home/ada/.local/share/cobrew');
  });
});
