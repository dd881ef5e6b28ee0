// Batch costs and the pot split's deduction through the commons API, on a bare fastify with the dashboard's
// validation and error shape. The fermenters and the history are the boundary: the batch's profile is not
// started here, and the outputs' duty is a fixed hour of heating.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Value } from '@sinclair/typebox/value';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { installErrorHandling } from '../../../dashboard/api/error-handler.js';
import { validatorCompiler } from '../../../dashboard/api/validation.js';
import { commonsApi } from '../../../recipes/api/plugin.js';
import type { CommonsStore } from '../../../recipes/commons/store.js';
import type { EnergySource } from '../../../recipes/costs/cost-of-batch.js';
import { type Tariff, TariffSchema } from '../../../recipes/costs/tariff.js';
import { beer, lager, makeStore } from '../commons/helpers.js';

const H = 3_600_000;
const open: Array<{ app: FastifyInstance; store: CommonsStore }> = [];
afterEach(async () => {
  for (const { app, store } of open.splice(0)) {
    await app.close();
    store.close();
  }
});

/** The heater ran at full power for the batch's first hour. */
const firstHourOfHeat: EnergySource = {
  async uses(batch, period) {
    const on = { from: period.from, to: Math.min(period.to, period.from + H), duty: 1 };
    return [
      {
        fermenterId: batch.fermenterId,
        from: period.from,
        to: period.to,
        outputs: [
          { output: 'heat', loadW: 2000, segments: [on] },
          { output: 'cool', loadW: 150, segments: [] },
        ],
      },
    ];
  },
};

async function api(deductBatchCosts: boolean) {
  const tariff = Value.Default(TariffSchema, { currency: 'EUR', pricePerKWh: 0.25 }) as Tariff;
  const { store, clock } = makeStore({ potSplit: { deductBatchCosts }, tariff });
  const app = Fastify().withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  installErrorHandling(app);
  app.decorateRequest('user', null);
  app.addHook('onRequest', async (req) => {
    const who = req.headers['x-test-user'];
    if (typeof who === 'string') {
      const [name, role] = who.split(':');
      (req as { user: unknown }).user = { name, role };
    }
  });
  const control = { check() {}, async startProfile() {} };
  await app.register(commonsApi, { store, control, energy: firstHourOfHeat });
  await app.ready();
  open.push({ app, store });
  const call = async (method: string, url: string, user?: string, payload?: unknown) => {
    const res = await app.inject({
      method: method as 'GET',
      url,
      headers: user === undefined ? {} : { 'x-test-user': user },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    return { status: res.statusCode, body: res.body, json: () => res.json(), headers: res.headers };
  };
  // Alice's recipe (a version: 10 points) reviewed by Bob (1 point), and her batch of it, two hours in.
  const recipe = store.createRecipe({ document: lager('Helles'), author: 'alice' });
  store.ledger.add({
    contributor: 'bob',
    kind: 'review',
    recipeId: recipe.id,
    versionId: recipe.latestVersionId,
    recordedBy: 'alice',
  });
  const batch = (
    await call('POST', '/api/batches', 'alice:brewer', {
      versionId: recipe.latestVersionId,
      fermenterId: 'ale',
      name: 'Helles #1',
      visibility: 'public',
    })
  ).json() as { id: string };
  clock.advance(2 * H);
  return { store, clock, call, recipe, batchId: batch.id };
}

const yeast = { kind: 'yeast', name: 'W-34/70', quantity: 2, unit: 'sachet', cost: '9.80' };
const co2 = { kind: 'co2', name: 'CO2 for the transfer', quantity: 0.5, unit: 'kg', cost: '3.00' };

describe('batch costs API', () => {
  it('prices the energy and adds the consumables; only the batch’s brewers record them', async () => {
    const { call, batchId } = await api(false);
    expect((await call('POST', `/api/batches/${batchId}/consumables`, 'alice:brewer', yeast)).status).toBe(
      201,
    );
    const refused = await call('POST', `/api/batches/${batchId}/consumables`, 'bob:brewer', co2);
    expect(refused.status).toBe(403);
    expect(refused.json().code).toBe('COBREW_ERR_FORBIDDEN');
    const bad = await call('POST', `/api/batches/${batchId}/consumables`, 'alice:brewer', {
      ...co2,
      cost: '3,00',
    });
    expect(bad.json().code).toBe('COBREW_ERR_AMOUNT_INVALID');
    const added = (await call('POST', `/api/batches/${batchId}/consumables`, 'alice:brewer', co2)).json();

    const costs = (await call('GET', `/api/batches/${batchId}/costs`, 'bob:viewer')).json();
    expect(costs).toMatchObject({
      currency: 'EUR',
      period: { ongoing: true },
      energy: { known: true, kWh: 2, cost: '0.50' },
      consumablesCost: '12.80',
      total: '13.30',
    });
    expect(costs.energy.lines).toEqual([
      expect.objectContaining({
        fermenterId: 'ale',
        output: 'heat',
        period: 'single',
        onHours: 1,
        cost: '0.50',
      }),
    ]);
    expect(costs.lines.map((l: { cost: string }) => l.cost)).toEqual(['0.50', '9.80', '3.00']);

    const csv = await call('GET', `/api/batches/${batchId}/costs/export?format=csv`, 'bob:viewer');
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toMatch(/attachment; filename="cobrew-batch-.*-costs.csv"/);
    const rows = csv.body.trimEnd().split('\r\n');
    expect(rows[0]).toMatch(/^batch_id,item,fermenter,output,period,kind,name,/);
    expect(rows.slice(1).map((r) => r.split(',').at(-2))).toEqual(['0.50', '9.80', '3.00']);
    const json = JSON.parse((await call('GET', `/api/batches/${batchId}/costs/export`, 'bob:viewer')).body);
    expect(json).toMatchObject({ format: 'cobrew-batch-costs', formatVersion: 1, total: '13.30' });

    expect(
      (await call('DELETE', `/api/batches/${batchId}/consumables/${added.id}`, 'alice:brewer')).status,
    ).toBe(204);
    const gone = await call('DELETE', `/api/batches/${batchId}/consumables/${added.id}`, 'alice:brewer');
    expect(gone.json().code).toBe('COBREW_ERR_CONSUMABLE_NOT_FOUND');
    expect((await call('GET', `/api/batches/${batchId}/costs`, 'bob:viewer')).json().total).toBe('10.30');
  });
});

describe('pot split less the batch costs', () => {
  it('shares exactly the amount less the deduction, and lists each line taken off', async () => {
    const { call, recipe, batchId } = await api(true);
    await call('POST', `/api/batches/${batchId}/consumables`, 'alice:brewer', yeast);
    // 0.50 of energy + 9.80 of yeast = 10.30 off 100.00.
    const url = `/api/recipes/${recipe.id}/pot-split?amount=100.00`;
    const split = (await call('GET', `${url}&batch=${batchId}`, 'bob:viewer')).json();
    expect(split.deduction).toMatchObject({
      gross: '100.00',
      total: '10.30',
      rule: 'commons.potSplit.deductBatchCosts',
    });
    expect(split.deduction.lines.map((l: { cost: string }) => l.cost)).toEqual(['0.50', '9.80']);
    expect(split.amount).toBe('89.70');
    const cents = (s: string) => Math.round(Number(s) * 100);
    expect(split.shares.reduce((sum: number, s: { amount: string }) => sum + cents(s.amount), 0)).toBe(8970);
    // Exactly the split of the net amount: the deduction changes nothing else.
    const net = (await call('GET', `/api/recipes/${recipe.id}/pot-split?amount=89.70`, 'bob:viewer')).json();
    expect(split.shares).toEqual(net.shares);
    expect(net.deduction).toBeNull();
    const gross = (await call('GET', url, 'bob:viewer')).json();
    const diff = gross.shares.reduce((sum: number, s: { amount: string }) => sum + cents(s.amount), 0) - 8970;
    expect(diff).toBe(1030);
    expect(split.text).toContain('Pot of 100.00, less the costs of batch “Helles #1”');
    expect(split.text).toContain('  - yeast W-34/70: 2 sachet: 9.80');
    expect(split.text).toContain('100.00 − 10.30 = 89.70 to share.');
  });

  it('refuses when the rule is off, when the costs eat the pot, or for a batch of another recipe', async () => {
    const off = await api(false);
    const asked = `/api/recipes/${off.recipe.id}/pot-split?amount=100&batch=${off.batchId}`;
    expect((await off.call('GET', asked, 'bob:viewer')).json().code).toBe('COBREW_ERR_DEDUCTION_OFF');

    const on = await api(true);
    await on.call('POST', `/api/batches/${on.batchId}/consumables`, 'alice:brewer', yeast);
    const small = await on.call(
      'GET',
      `/api/recipes/${on.recipe.id}/pot-split?amount=10.30&batch=${on.batchId}`,
      'bob:viewer',
    );
    expect(small.status).toBe(409);
    expect(small.json().code).toBe('COBREW_ERR_COSTS_EXCEED_POT');
    const other = on.store.createRecipe({ document: beer('Stout'), author: 'bob' });
    const wrong = await on.call(
      'GET',
      `/api/recipes/${other.id}/pot-split?amount=100&batch=${on.batchId}`,
      'bob:viewer',
    );
    expect(wrong.status).toBe(400);
    expect(wrong.json().code).toBe('COBREW_ERR_BATCH_NOT_OF_RECIPE');
  });

  it('shows the rule beside the ledger weights', async () => {
    const { call } = await api(true);
    expect((await call('GET', '/api/ledger', 'bob:viewer')).json().potSplit).toEqual({
      deductBatchCosts: true,
    });
  });
});
