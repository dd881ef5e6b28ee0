// The MQTT contract of docs/mqtt.md, held to the code: the JSON Schemas pasted in the document are the ones
// the code uses, and everything a running bridge publishes (states, incidents, availability, command
// responses, the discovery index) validates against them. Run with COBREW_UPDATE_DOCS=1 to rewrite the
// document's schema blocks from the code after changing a schema.
import { readFileSync, writeFileSync } from 'node:fs';
import type { Static, TSchema } from '@sinclair/typebox';
import { Ajv } from 'ajv';
import { connectAsync } from 'mqtt';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { AvailabilitySchema } from '../../broker/availability-schema.js';
import { BatchHolderSchema } from '../../broker/batch-holders.js';
import { BridgeFermentersSchema } from '../../broker/bridge-fermenters-schema.js';
import { CommandResponseSchema, CommandSchema } from '../../broker/command-schema.js';
import { startCommandHandler } from '../../broker/commands.js';
import { DiscoveryIndexSchema } from '../../broker/discovery-index-schema.js';
import { startEmbeddedBroker } from '../../broker/embedded.js';
import { startHomeAssistant } from '../../broker/homeassistant.js';
import { IncidentSchema } from '../../broker/incident-schema.js';
import { startStatePublisher } from '../../broker/state-publisher.js';
import { FermenterStateSchema } from '../../broker/state-schema.js';
import { ManualClock } from '../../common/clock.js';
import type { CommandTarget } from '../../firmware-bridge/commands.js';
import { Fermenter } from '../../firmware-bridge/fermenter.js';
import { checkFermenterConfig } from '../../firmware-bridge/fermenter-config.js';
import { SimBoard } from '../../firmware-bridge/sim/sim-board.js';
import type { Incident } from '../../firmware-bridge/types.js';
import { listen, waitFor } from './helpers.js';

const DOC = new URL('../../docs/mqtt.md', import.meta.url);

/** Each schema block of docs/mqtt.md, by the name in its `<!-- schema: name -->` marker. */
const SCHEMAS: Record<string, TSchema> = {
  state: FermenterStateSchema,
  availability: AvailabilitySchema,
  incident: IncidentSchema,
  set: CommandSchema,
  'set-response': CommandResponseSchema,
  'discovery-index': DiscoveryIndexSchema,
  'bridge-fermenters': BridgeFermentersSchema,
  batch: BatchHolderSchema,
};

const BLOCK = /(<!-- schema: ([\w-]+) -->\n```json\n)([\s\S]*?)(\n```)/g;

/** The schema as JSON: TypeBox's symbol keys are not part of it. */
const plain = (schema: TSchema): unknown => JSON.parse(JSON.stringify(schema));

describe('MQTT contract', () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  it("docs/mqtt.md shows exactly the code's JSON Schemas", () => {
    let doc = readFileSync(DOC, 'utf8');
    if (process.env.COBREW_UPDATE_DOCS === '1') {
      doc = doc.replace(BLOCK, (_all, open: string, name: string, _old: string, close: string) => {
        const schema = SCHEMAS[name];
        if (schema === undefined) throw new Error(`docs/mqtt.md has a block for unknown schema ${name}`);
        return `${open}${JSON.stringify(plain(schema), null, 2)}${close}`;
      });
      writeFileSync(DOC, doc);
    }
    const inDoc = new Map([...doc.matchAll(BLOCK)].map((m) => [m[2] as string, m[3] as string]));
    expect([...inDoc.keys()].sort()).toEqual(Object.keys(SCHEMAS).sort());
    for (const [name, schema] of Object.entries(SCHEMAS)) {
      expect(JSON.parse(inDoc.get(name) ?? 'null'), `schema "${name}" in docs/mqtt.md`).toEqual(
        plain(schema),
      );
    }
  });

  it('the schemas describe the types the code publishes and applies', () => {
    expectTypeOf<Static<typeof IncidentSchema>>().toEqualTypeOf<Incident>();
    type Applied = NonNullable<Static<typeof CommandSchema>>;
    expectTypeOf<NonNullable<Applied['mode']>>().toEqualTypeOf<Parameters<CommandTarget['setMode']>[0]>();
    expectTypeOf<NonNullable<Applied['steps']>>().toExtend<
      NonNullable<Parameters<CommandTarget['startProfile']>[0]>
    >();
  });

  it('docs/mqtt.md names every topic', () => {
    const doc = readFileSync(DOC, 'utf8');
    for (const topic of [
      '<base>/bridge/<bridgeId>/availability',
      '<base>/bridge/<bridgeId>/homeassistant',
      '<base>/bridge/<bridgeId>/homeassistant/<id>',
      '<base>/bridge/<bridgeId>/fermenters',
      '<base>/fermenter/<id>/state',
      '<base>/fermenter/<id>/availability',
      '<base>/fermenter/<id>/incident',
      '<base>/fermenter/<id>/set',
      '<base>/fermenter/<id>/set/response',
      '<base>/fermenter/<id>/batch',
      '<prefix>/status',
      '<prefix>/<component>/<base>_<id>/<entity>/config',
    ]) {
      expect(doc, topic).toContain(`\`${topic}\``);
    }
  });

  it('everything a running bridge publishes validates against its documented schema', async () => {
    const broker = await startEmbeddedBroker({ host: '127.0.0.1', port: 0 });
    cleanup.push(() => broker.close());
    const clock = new ManualClock();
    const fermenters = ['ale', 'lager'].map((id) => {
      const config = checkFermenterConfig({
        id,
        name: id,
        board: { type: 'sim', ambientMeanC: 24, ambientSwingC: 0, startBeerC: 20 },
        control: { beerSetpointC: 18 },
      });
      const board = new SimBoard(config.board, clock);
      return { board, fermenter: new Fermenter(config, board, clock) };
    });
    const tick = (seconds: number) => {
      for (let i = 0; i < seconds; i++) {
        clock.advance(1000);
        for (const f of fermenters) f.fermenter.tick();
      }
    };
    const all = await listen(broker.url, 'cobrew/#');
    cleanup.push(all.close);

    const handles = fermenters.map((f) => f.fermenter);
    const publisher = await startStatePublisher({
      url: broker.url,
      baseTopic: 'cobrew',
      bridgeId: 'cellar',
      statePeriodMs: 50,
      sources: handles,
    });
    let published = true;
    cleanup.push(async () => {
      if (published) await publisher.stop();
    });
    const commands = await startCommandHandler({ url: broker.url, baseTopic: 'cobrew', fermenters: handles });
    cleanup.push(() => commands.stop());
    const ha = await startHomeAssistant({
      url: broker.url,
      baseTopic: 'cobrew',
      bridgeId: 'cellar',
      fermenters: handles,
      indexWaitMs: 200,
    });
    cleanup.push(() => ha.stop());

    tick(600);
    fermenters[1]?.board.inject({ kind: 'sensor-unplugged', probe: 'beer' });
    tick(10);
    await waitFor(() => all.messages.some((m) => m.topic.endsWith('/incident')), 'an incident');

    const client = await connectAsync(broker.url, { reconnectPeriod: 0 });
    cleanup.push(() => client.endAsync());
    const sent = [
      '{"beerSetpointC": 18.5, "transaction": "a"}',
      '{"mode": "chamber"}',
      '{"profile": "start", "steps": [{"type": "hold", "targetC": 12, "durationH": 1}]}',
      '{"profile": "stop"}',
      '{"clearTrip": true, "transaction": "b"}',
      '{"beerSetpointC": 99, "transaction": "c"}',
      '{"mode": "beer", "beerSetpointC": 19}',
      '{"beerSetpoint": 19}',
      '{"profile": "stop", "steps": []}',
      'not json',
    ];
    for (const payload of sent) await client.publishAsync('cobrew/fermenter/lager/set', payload, { qos: 1 });
    await client.publishAsync('cobrew/fermenter/ghost/set', '{"mode": "off"}', { qos: 1 });
    const responses = () => all.messages.filter((m) => m.topic.endsWith('/set/response'));
    await waitFor(() => responses().length === sent.length + 1, 'every response');
    tick(5);
    await publisher.stop();
    published = false;
    await waitFor(
      () => all.messages.some((m) => m.topic === 'cobrew/bridge/cellar/availability' && m.text === 'offline'),
      'the bridge offline',
    );

    const ajv = new Ajv({ strict: false, allErrors: true });
    const validators = Object.fromEntries(Object.entries(SCHEMAS).map(([k, s]) => [k, ajv.compile(s)]));
    const kinds: Array<[RegExp, string]> = [
      [/^cobrew\/fermenter\/[^/]+\/state$/, 'state'],
      [/^cobrew\/fermenter\/[^/]+\/availability$/, 'availability'],
      [/^cobrew\/bridge\/[^/]+\/availability$/, 'availability'],
      [/^cobrew\/bridge\/[^/]+\/fermenters$/, 'bridge-fermenters'],
      [/^cobrew\/fermenter\/[^/]+\/incident$/, 'incident'],
      [/^cobrew\/fermenter\/[^/]+\/set\/response$/, 'set-response'],
      [/^cobrew\/bridge\/[^/]+\/homeassistant(\/[^/]+)?$/, 'discovery-index'],
    ];
    const seen = new Set<string>();
    for (const m of all.messages) {
      if (m.topic.endsWith('/set')) continue; // the test's own commands, checked below
      const kind = kinds.find(([re]) => re.test(m.topic))?.[1];
      expect(kind, `${m.topic} is in the documented contract`).toBeDefined();
      const validate = validators[kind as string];
      const value = kind === 'availability' ? m.text : JSON.parse(m.text);
      expect(validate?.(value), `${m.topic}: ${m.text}\n${JSON.stringify(validate?.errors)}`).toBe(true);
      seen.add(kind as string);
    }
    expect([...seen].sort()).toEqual([
      'availability',
      'bridge-fermenters',
      'discovery-index',
      'incident',
      'set-response',
      'state',
    ]);

    // The documented command schema and the handler agree on what is a well-formed command.
    const answers = responses()
      .filter((m) => m.topic === 'cobrew/fermenter/lager/set/response')
      .map((m) => JSON.parse(m.text));
    sent.forEach((payload, i) => {
      let wellFormed = false;
      try {
        wellFormed = validators.set?.(JSON.parse(payload)) === true;
      } catch {}
      const code = answers[i]?.error?.code;
      expect(wellFormed, `${payload} → ${JSON.stringify(answers[i])}`).toBe(
        code !== 'COBREW_ERR_INVALID' && code !== 'COBREW_ERR_COMMAND_JSON',
      );
    });
    expect(answers.map((a) => a.status)).toEqual([
      'ok',
      'ok',
      'ok',
      'ok',
      'error', // the unplugged probe is still unplugged
      'error',
      'error',
      'error',
      'error',
      'error',
    ]);
  });
});
