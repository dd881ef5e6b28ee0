// Home Assistant MQTT discovery configs for one fermenter: a climate entity on the target of the current
// mode, a number for the chamber target, a select for the mode, temperature, gravity, hydrometer battery and
// last-command sensors, and heating, cooling and safety-trip binary sensors.
// Key names follow https://www.home-assistant.io/integrations/mqtt/ and the climate, sensor and binary_sensor
// pages; docs/mqtt.md shows what comes out.
import { BeerSetpointValue, ChamberSetpointValue } from '../firmware-bridge/commands.js';
import type { ControlMode } from '../firmware-bridge/types.js';
import { topicsFor } from './topics.js';

/** What discovery needs to know about a fermenter; the fleet's FermenterHandle is one. */
export interface DiscoveredFermenter {
  readonly id: string;
  readonly name: string;
  /** Board driver kind, e.g. `sim`; shown as the device model. */
  readonly boardKind: string;
  /** Whether it has profile steps to run: without them `auto` (profile) is not offered. Unknown: offered. */
  readonly hasProfile?: boolean;
}

export interface DiscoveryContext {
  baseTopic: string;
  discoveryPrefix: string;
  bridgeId: string;
  /** cobrew's version, shown on the device page. */
  swVersion: string;
}

export interface DiscoveryMessage {
  /** <discoveryPrefix>/<component>/<base>_<fermenter id>/<entity>/config */
  topic: string;
  config: Record<string, unknown>;
}

/**
 * Home Assistant's climate modes and the cobrew mode each one selects. cobrew heats and cools as needed
 * towards one target, which is Home Assistant's heat_cool; its schedule mode (auto) is a profile. There is no
 * heat-only or cool-only regulation to offer as heat or cool.
 */
export const HA_MODE_TO_COBREW = { off: 'off', heat_cool: 'beer', auto: 'profile' } as const satisfies Record<
  string,
  ControlMode
>;
/** How each cobrew mode shows in Home Assistant: chamber mode also heats and cools to a target. */
export const COBREW_MODE_TO_HA = {
  off: 'off',
  beer: 'heat_cool',
  chamber: 'heat_cool',
  profile: 'auto',
} as const satisfies Record<ControlMode, keyof typeof HA_MODE_TO_COBREW>;

/** A Jinja dict literal, for mapping values inside Home Assistant's templates. */
function jinjaDict(map: Record<string, string>): string {
  return `{${Object.entries(map)
    .map(([k, v]) => `'${k}': '${v}'`)
    .join(', ')}}`;
}

/** Unique ids and device identifiers start with the base topic, so two installations on one broker differ. */
export function discoveryPrefixId(baseTopic: string): string {
  return baseTopic.replace(/[^A-Za-z0-9_-]+/g, '_');
}

export function discoveryFor(f: DiscoveredFermenter, ctx: DiscoveryContext): DiscoveryMessage[] {
  const topics = topicsFor(ctx.baseTopic);
  const node = `${discoveryPrefixId(ctx.baseTopic)}_${f.id}`;
  const state = topics.fermenterState(f.id);
  const set = topics.fermenterSet(f.id);
  const response = topics.fermenterSetResponse(f.id);
  const shared = {
    device: {
      identifiers: [node],
      name: f.name,
      manufacturer: 'cobrew',
      model: f.boardKind === 'sim' ? 'simulated fermenter' : f.boardKind,
      sw_version: ctx.swVersion,
    },
    origin: { name: 'cobrew', sw_version: ctx.swVersion },
    availability: [
      { topic: topics.fermenterAvailability(f.id) },
      { topic: topics.bridgeAvailability(ctx.bridgeId) },
    ],
    availability_mode: 'all',
  };
  const entity = (component: string, key: string, config: Record<string, unknown>): DiscoveryMessage => ({
    topic: `${ctx.discoveryPrefix}/${component}/${node}/${key}/config`,
    config: { unique_id: `${node}_${key}`, ...config, ...shared },
  });
  const temperature = (key: string, name: string, field: string) =>
    entity('sensor', key, {
      name,
      state_topic: state,
      value_template: `{{ value_json.${field} }}`,
      device_class: 'temperature',
      state_class: 'measurement',
      unit_of_measurement: '°C',
      suggested_display_precision: 2,
    });
  const flag = (key: string, name: string, deviceClass: string, test: string, extra = {}) =>
    entity('binary_sensor', key, {
      name,
      state_topic: state,
      value_template: `{{ 'ON' if ${test} else 'OFF' }}`,
      device_class: deviceClass,
      ...extra,
    });

  return [
    entity('climate', 'climate', {
      // null: the climate is the device's main feature and takes the fermenter's name.
      name: null,
      current_temperature_topic: state,
      current_temperature_template: '{{ value_json.beerC }}',
      temperature_state_topic: state,
      // Chamber mode holds the chamber air; beer and profile modes the beer (the profile's target then).
      temperature_state_template:
        "{% if value_json.mode == 'chamber' %}{{ value_json.chamberSetpointC }}" +
        '{% else %}{{ value_json.beerSetpointC }}{% endif %}',
      temperature_command_topic: set,
      // The set handler applies it to the target of the current mode, and refuses it in profile mode.
      temperature_command_template: '{"targetC": {{ value }} }',
      mode_state_topic: state,
      mode_state_template: `{{ ${jinjaDict(COBREW_MODE_TO_HA)}[value_json.mode] }}`,
      mode_command_topic: set,
      mode_command_template: `{"mode": "{{ ${jinjaDict(HA_MODE_TO_COBREW)}[value] }}"}`,
      modes: Object.keys(HA_MODE_TO_COBREW).filter((m) => m !== 'auto' || f.hasProfile !== false),
      action_topic: state,
      action_template:
        "{% if value_json.mode == 'off' %}off{% elif value_json.outputs.heat %}heating" +
        '{% elif value_json.outputs.cool %}cooling{% else %}idle{% endif %}',
      min_temp: Math.min(BeerSetpointValue.minimum ?? 0, ChamberSetpointValue.minimum ?? 0),
      max_temp: Math.max(BeerSetpointValue.maximum ?? 0, ChamberSetpointValue.maximum ?? 0),
      precision: 0.1,
      temp_step: 0.1,
      temperature_unit: 'C',
      qos: 1,
    }),
    temperature('beer', 'Beer temperature', 'beerC'),
    temperature('chamber', 'Chamber temperature', 'chamberC'),
    temperature('ambient', 'Room temperature', 'ambientC'),
    entity('sensor', 'gravity', {
      name: 'Gravity',
      state_topic: state,
      value_template: '{{ value_json.gravity }}',
      state_class: 'measurement',
      suggested_display_precision: 3,
    }),
    entity('number', 'chamber_target', {
      name: 'Chamber target',
      state_topic: state,
      value_template: '{{ value_json.chamberSetpointC }}',
      command_topic: set,
      command_template: '{"chamberSetpointC": {{ value }} }',
      min: ChamberSetpointValue.minimum,
      max: ChamberSetpointValue.maximum,
      step: 0.1,
      mode: 'box',
      device_class: 'temperature',
      unit_of_measurement: '°C',
      qos: 1,
    }),
    entity('select', 'mode', {
      name: 'Mode',
      state_topic: state,
      value_template: '{{ value_json.mode }}',
      command_topic: set,
      command_template: '{"mode": "{{ value }}"}',
      options: ['beer', 'chamber', 'profile', 'off'].filter((m) => m !== 'profile' || f.hasProfile !== false),
      qos: 1,
    }),
    // Refused commands (a temperature set while a profile runs…) show here, not only on set/response.
    entity('sensor', 'last_command', {
      name: 'Last command',
      state_topic: response,
      value_template: "{% if value_json.status == 'ok' %}ok{% else %}{{ value_json.error.code }}{% endif %}",
      json_attributes_topic: response,
      json_attributes_template: '{{ value_json | tojson }}',
      entity_category: 'diagnostic',
    }),
    entity('sensor', 'hydrometer_battery', {
      name: 'Hydrometer battery',
      state_topic: state,
      value_template: '{{ value_json.hydrometerBatteryV }}',
      device_class: 'voltage',
      unit_of_measurement: 'V',
      state_class: 'measurement',
      entity_category: 'diagnostic',
      suggested_display_precision: 2,
    }),
    flag('heating', 'Heating', 'heat', 'value_json.outputs.heat'),
    flag('cooling', 'Cooling', 'cold', 'value_json.outputs.cool'),
    // The trip's codes and the alarms ride along as attributes, for a notification to quote.
    flag('trip', 'Safety trip', 'problem', "value_json.safety.status == 'tripped'", {
      json_attributes_topic: state,
      json_attributes_template: '{{ value_json.safety | tojson }}',
    }),
  ];
}

/** Whether a topic has the shape of a discovery topic made by discoveryFor for this base topic. */
export function isOurDiscoveryTopic(topic: string, baseTopic: string): boolean {
  const parts = topic.split('/');
  const node = parts.at(-3) ?? '';
  return (
    parts.length >= 5 &&
    parts.at(-1) === 'config' &&
    !parts.some((p) => p === '' || p === '+' || p === '#') &&
    node.startsWith(`${discoveryPrefixId(baseTopic)}_`)
  );
}
