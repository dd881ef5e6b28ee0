// Reads cobrew.yaml, lays command-line flags and environment variables over it, and checks the result.
// Precedence, highest first: flag, environment variable, file, schema default.

import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { fitPolynomial } from '../../broker/ispindel-gravity.js';
import type { ConfigFlags, LoadedConfig as SliceLoaded } from '../../common/cli-context.js';
import { checkOnce, InvalidInputError } from '../../common/schema-check.js';
import { tariffProblems } from '../../recipes/costs/tariff.js';
import { ConfigInvalidError } from '../errors.js';
import { airLimitProblems } from './air-limits.js';
import { type CobrewConfig, ConfigSchema } from './schema.js';
import { applySharedProfiles } from './shared-profiles.js';

const CONFIG_FILE_NAME = 'cobrew.yaml';

export interface ConfigSources {
  flags?: ConfigFlags;
  env?: Record<string, string | undefined>;
  /** For the ~/.local/share fallback; the user's home directory by default. */
  homeDir?: string;
  /** Told when no file exists and the defaults are used. */
  onDefaults?: (file: string) => void;
}

export type LoadedConfig = SliceLoaded<CobrewConfig>;

/** Numeric settings that flags and environment variables may override. */
const OVERRIDES = [
  { path: ['http', 'port'], flag: 'httpPort', option: '--http-port', env: 'COBREW_HTTP_PORT' },
  { path: ['mqtt', 'port'], flag: 'mqttPort', option: '--mqtt-port', env: 'COBREW_MQTT_PORT' },
  { path: ['mqtt', 'wsPort'], flag: 'wsPort', option: '--ws-port', env: 'COBREW_WS_PORT' },
  { path: ['sim', 'speed'], flag: 'speed', option: '--speed', env: 'COBREW_SPEED' },
] as const;

export function resolveDataDir(sources: ConfigSources): string {
  const env = sources.env ?? process.env;
  const explicit = nonEmpty(sources.flags?.dataDir) ?? nonEmpty(env.COBREW_DATA_DIR);
  if (explicit !== undefined) return resolve(explicit);
  const xdg = nonEmpty(env.XDG_DATA_HOME);
  return xdg !== undefined
    ? resolve(xdg, 'cobrew')
    : join(sources.homeDir ?? homedir(), '.local', 'share', 'cobrew');
}

export type { ConfigFlags };

export async function loadConfig(sources: ConfigSources = {}): Promise<LoadedConfig> {
  const env = sources.env ?? process.env;
  const dataDir = resolveDataDir(sources);
  const given = nonEmpty(sources.flags?.config);
  const file = given !== undefined ? resolve(given) : join(dataDir, CONFIG_FILE_NAME);

  const text = await readConfigFile(file, given !== undefined);
  if (text === null) sources.onDefaults?.(file);
  const raw = text === null ? {} : parseYaml(text, file);

  const overridden: Array<{ key: string; source: string }> = [];
  if (isPlainObject(raw)) {
    for (const o of OVERRIDES) {
      const fromFlag = nonEmpty(sources.flags?.[o.flag]);
      const fromEnv = nonEmpty(env[o.env]);
      const [value, source] = fromFlag !== undefined ? [fromFlag, o.option] : [fromEnv, o.env];
      if (value === undefined) continue;
      setPath(raw, o.path, parseNumber(value, source));
      overridden.push({ key: o.path.join('.'), source });
    }
    const role = nonEmpty(sources.flags?.role) ?? nonEmpty(env.COBREW_ROLE);
    if (role !== undefined) {
      raw.role = role;
      overridden.push({ key: 'role', source: nonEmpty(sources.flags?.role) ? '--role' : 'COBREW_ROLE' });
    }
  }

  const where = text === null ? `built-in defaults (no ${file})` : file;
  let config: CobrewConfig;
  try {
    config = checkOnce(ConfigSchema, 'the configuration', raw);
  } catch (err) {
    if (!(err instanceof InvalidInputError)) throw err;
    const notes = overridden
      .filter((o) => err.message.includes(`  - ${o.key}:`))
      .map((o) => `  (${o.key} was set by ${o.source})`);
    const message = err.message.split('\n').map(plainUrlProblem).join('\n');
    throw new ConfigInvalidError([`${where}: ${message}`, ...notes].join('\n'), { cause: err });
  }
  const problems = [
    ...duplicateIds(config),
    ...airLimitProblems(config),
    ...topicDepth(config),
    ...externalBroker(config),
    ...ispindels(config),
    ...brewfather(config),
    ...tilts(config),
    ...tariffProblems(config.tariff),
  ];
  if (problems.length === 0) problems.push(...(await applySharedProfiles(config, dataDir)));
  if (problems.length > 0) {
    throw new ConfigInvalidError(`${where}: the configuration is invalid:\n${problems.join('\n')}`);
  }
  if (config.mqtt.ca !== undefined && text !== null) config.mqtt.ca = resolve(dirname(file), config.mqtt.ca);
  return { config, dataDir, file: text === null ? null : file };
}

/** Ajv would show the regular expression of mqtt.url or influx.url; say which URLs are meant instead. */
function plainUrlProblem(line: string): string {
  const influx = /^ {2}- influx\.url: (.*) is not allowed; it must match pattern /.exec(line);
  if (influx !== null) {
    return `  - influx.url: ${influx[1]} is not allowed; give the server's URL starting with http:// or https://, e.g. http://influx.lan:8086`;
  }
  const m = /^ {2}- mqtt\.url: (.*) is not allowed; it must match pattern /.exec(line);
  return m === null
    ? line
    : `  - mqtt.url: ${m[1]} is not allowed; give a broker URL starting with mqtt://, mqtts://, ws:// or wss://, ` +
        'e.g. mqtts://broker.lan:8883';
}

function externalBroker(config: CobrewConfig): string[] {
  const { url, username, password, ca } = config.mqtt;
  const problems: string[] = [];
  if (url === undefined && config.mqtt.mosquitto.managed && config.mqtt.port === 0) {
    problems.push(
      '  - mqtt.port: Mosquitto run by cobrew needs a fixed port (0 picks one only for the embedded broker)',
    );
  }
  if (url === undefined) {
    for (const [key, value] of [
      ['username', username],
      ['password', password],
      ['ca', ca],
    ] as const) {
      if (value !== undefined) {
        problems.push(
          `  - mqtt.${key}: only used with an external broker; set mqtt.url too, or remove it (the embedded ` +
            "broker's users are managed with `cobrew mqtt-user`)",
        );
      }
    }
    return problems;
  }
  try {
    new URL(url);
  } catch {
    problems.push(`  - mqtt.url: ${JSON.stringify(url)} is not a valid URL; e.g. mqtts://broker.lan:8883`);
  }
  if (config.mqtt.mosquitto.managed) {
    problems.push(
      '  - mqtt.mosquitto.managed: cobrew runs Mosquitto itself only when there is no mqtt.url; remove one of them',
    );
  }
  if (password !== undefined && username === undefined) {
    problems.push(
      '  - mqtt.password: given without mqtt.username; give both, or neither for an anonymous broker',
    );
  }
  if (ca !== undefined && !/^(mqtts|wss):/.test(url)) {
    problems.push(
      `  - mqtt.ca: only used with TLS; mqtt.url ${JSON.stringify(url)} is not encrypted, use mqtts:// or wss://`,
    );
  }
  return problems;
}

function tilts(config: CobrewConfig): string[] {
  const ids = config.fermenters.map((f) => f.id);
  const seen = new Set<string>();
  return config.tilts.flatMap((t, i) => {
    const problems: string[] = [];
    if (!ids.includes(t.fermenter)) {
      problems.push(
        `  - tilts[${i}].fermenter: ${JSON.stringify(t.fermenter)} is not a configured fermenter`,
      );
    }
    if (seen.has(t.colour)) {
      problems.push(`  - tilts[${i}].colour: ${t.colour} is used twice; a colour is one Tilt`);
    }
    seen.add(t.colour);
    return problems;
  });
}

function brewfather(config: CobrewConfig): string[] {
  const ids = config.fermenters.map((f) => f.id);
  return (config.brewfather?.fermenters ?? []).flatMap((id, i) =>
    ids.includes(id)
      ? []
      : [
          `  - brewfather.fermenters[${i}]: ${JSON.stringify(id)} is not a configured fermenter; ` +
            `use one of ${ids.map((x) => JSON.stringify(x)).join(', ') || '(none configured)'}`,
        ],
  );
}

function ispindels(config: CobrewConfig): string[] {
  const ids = config.fermenters.map((f) => f.id);
  const seen = new Map<string, number>();
  const problems: string[] = [];
  config.ispindels.forEach((h, i) => {
    if (!ids.includes(h.fermenter)) {
      problems.push(
        `  - ispindels[${i}].fermenter: ${JSON.stringify(h.fermenter)} is not a configured fermenter; ` +
          `use one of ${ids.map((id) => JSON.stringify(id)).join(', ') || '(none configured)'}`,
      );
    }
    if (h.calibration !== undefined) {
      try {
        fitPolynomial(
          h.calibration.points.map((p) => ({ x: p.angle, y: p.gravity })),
          h.calibration.degree,
        );
      } catch (err) {
        problems.push(
          `  - ispindels[${i}].calibration.points: ${(err as Error).message}; give points at different angles`,
        );
      }
    }
    const first = seen.get(h.name);
    if (first === undefined) seen.set(h.name, i);
    else {
      problems.push(
        `  - ispindels[${i}].name: ${JSON.stringify(h.name)} is not allowed; ispindels[${first}] already uses it ` +
          'and an iSpindel floats in one fermenter',
      );
    }
  });
  return problems;
}

async function readConfigFile(file: string, given: boolean): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !given) return null;
    const why = code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new ConfigInvalidError(`${file}: cannot read the configuration file: ${why}`, { cause: err });
  }
}

function parseYaml(text: string, file: string): unknown {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length === 0) {
    try {
      // The yaml library refuses an alias bomb (aliases that swell to gigabytes) here, with its own error.
      return doc.toJS({ maxAliasCount: 100 }) ?? {};
    } catch (err) {
      throw new ConfigInvalidError(`${file} is not valid YAML: ${(err as Error).message.slice(0, 200)}`);
    }
  }
  const lines = text.split(/\r?\n/);
  const problems = doc.errors.map((e) => {
    const { line, col } = lineCounter.linePos(e.pos[0]);
    const source = lines[line - 1] ?? '';
    return `${file}:${line}:${col}: ${e.message}\n    ${source}\n    ${' '.repeat(Math.max(0, col - 1))}^`;
  });
  throw new ConfigInvalidError(`${file} is not valid YAML:\n${problems.join('\n')}`);
}

function duplicateIds(config: CobrewConfig): string[] {
  const seen = new Map<string, number>();
  const problems: string[] = [];
  config.fermenters.forEach((f, i) => {
    const first = seen.get(f.id);
    if (first === undefined) seen.set(f.id, i);
    else {
      problems.push(
        `  - fermenters[${i}].id: ${JSON.stringify(f.id)} is not allowed; fermenters[${first}] already uses it and ids must be unique`,
      );
    }
  });
  return problems;
}

/** cobrew's deepest topic is <base>/fermenter/<id>/set/response: the broker must allow it. */
function topicDepth(config: CobrewConfig): string[] {
  const deepest = config.mqtt.baseTopic.split('/').length + 4;
  const allowed = config.mqtt.limits.maxTopicLevels;
  return deepest > allowed
    ? [
        `  - mqtt.limits.maxTopicLevels: ${allowed} is not allowed with mqtt.baseTopic ${JSON.stringify(config.mqtt.baseTopic)}; ` +
          `cobrew's own topics reach ${deepest} levels (<base>/fermenter/<id>/set/response)`,
      ]
    : [];
}

function parseNumber(text: string, source: string): number {
  const n = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(n)) {
    throw new ConfigInvalidError(`${source}: ${JSON.stringify(text)} is not a number`);
  }
  return n;
}

function setPath(
  target: Record<string, unknown>,
  [section, key]: readonly [string, string],
  value: number,
): void {
  const current = target[section];
  // A section that is not a mapping is left alone for the schema check to report.
  if (current === undefined || current === null) target[section] = { [key]: value };
  else if (isPlainObject(current)) current[key] = value;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === '' ? undefined : v;
}
