// What a batch cost, in a real browser (Debian's Chromium) against the real application: the ale's heater
// runs for the batch, its energy is priced with the tariff on the batch's page, a consumable is recorded
// there, and the pot split takes the batch's costs off the amount before sharing it. Then a board profile is
// shared in the commons and shown with its ratings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../../helpers/api-client.js';
import { lager, SMALL_SSR } from '../../recipes/commons/helpers.js';
import { type Browser, launchBrowser, SOON, signIn } from './browser.js';
import { RIG_USERS, type Rig, startRig } from './rig.js';

// The ale heats towards 26 °C from the start, with a 2 kW heater declared, at 2 a kWh: a few simulated
// minutes (seconds at speed 60) cost whole cents.
const YAML = `
fermenters:
  - id: ale
    name: Ale – cuve 1
    board: { type: sim, heaterMount: chamber, ambientMeanC: 20, startBeerC: 20 }
    control: { mode: beer, beerSetpointC: 26 }
    outputs:
      heat: { loadW: 2000 }
      cool: { loadW: 150 }
tariff:
  currency: EUR
  pricePerKWh: 2
commons:
  potSplit:
    deductBatchCosts: true
`;

let rig: Rig;
let browser: Browser;

beforeAll(async () => {
  rig = await startRig({ yaml: YAML, speed: 60 });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await rig?.stop();
});

interface Costs {
  total: string;
  energy: { known: boolean; cost: string; kWh: number };
}

describe('batch costs in a browser', () => {
  it('shows the energy and cost on the batch page; the pot split deducts them', {
    timeout: 120_000,
  }, async () => {
    const a = new ApiClient(rig.url);
    await a.login(RIG_USERS.brewer.name, RIG_USERS.brewer.password);
    const recipe = await a.post<{ id: string; latestVersionId: string }>('api/recipes', {
      document: lager('Helles'),
    });
    const started = await a.post<{ id: string }>('api/batches', {
      versionId: recipe.body.latestVersionId,
      fermenterId: 'ale',
      name: 'Helles #1',
    });
    expect(started.status).toBe(201);
    const id = started.body.id;
    // The heater's on-time reaches the history; then the batch ends, so its costs stop moving.
    await expect
      .poll(async () => Number((await a.get<Costs>(`api/batches/${id}/costs`)).body.energy.cost), {
        timeout: 60_000,
        interval: 1000,
      })
      .toBeGreaterThanOrEqual(0.2);
    expect((await a.post(`api/batches/${id}/end`)).status).toBe(200);
    const ended = (await a.get<Costs>(`api/batches/${id}/costs`)).body;

    const page = await browser.newPage();
    await signIn(page, rig.url, RIG_USERS.brewer);
    await page.goto(`${rig.url}#/brewlogs/${id}`);
    const costs = page.getByTestId('batch-costs');
    await expect
      .poll(async () => (await costs.getByTestId('energy-cost').textContent()) ?? '', SOON)
      .toBe(`${ended.energy.cost} EUR`);
    expect(await costs.getByTestId('energy-kwh').textContent()).toMatch(/^\d+\.\d+ kWh$/);
    expect(await costs.getByTestId('energy-lines').textContent()).toContain('heating (2000 W)');

    const form = costs.getByTestId('consumable-form');
    await form.getByLabel('Name').fill('W-34/70');
    await form.getByLabel('Quantity').fill('2');
    await form.getByLabel('Unit').fill('sachet');
    await form.getByLabel('Cost').fill('9.80');
    await form.getByRole('button', { name: 'Record a consumable' }).click();
    await expect
      .poll(async () => (await costs.getByTestId('consumables').textContent()) ?? '', SOON)
      .toContain('yeast · W-34/70 · 2 sachet: 9.80 EUR');
    const totalCents = Math.round(Number(ended.energy.cost) * 100) + 980;
    const total = `${Math.floor(totalCents / 100)}.${String(totalCents % 100).padStart(2, '0')}`;
    await expect
      .poll(async () => costs.getByTestId('cost-total').getAttribute('data-amount'), SOON)
      .toBe(total);

    await page.goto(`${rig.url}#/ledger`);
    await expect
      .poll(async () => (await page.getByTestId('split-rule').textContent()) ?? '', SOON)
      .toContain('commons.potSplit.deductBatchCosts: true');

    await page.goto(`${rig.url}#/ledger/pot-split/${recipe.body.id}`);
    const pot = page.getByTestId('pot-form');
    await pot.getByLabel('Deduct the costs of a batch').waitFor();
    await pot.getByLabel('Amount').fill('100');
    await pot.getByLabel('Deduct the costs of a batch').selectOption({ label: 'Helles #1 (Helles v1)' });
    await pot.getByRole('button', { name: 'Split' }).click();
    const net = 10_000 - totalCents;
    const netText = `${Math.floor(net / 100)}.${String(net % 100).padStart(2, '0')}`;
    await expect
      .poll(async () => (await page.getByTestId('deducted').textContent()) ?? '', SOON)
      .toContain(`100.00 − ${total} = ${netText} to share.`);
    const deduction = (await page.getByTestId('deduction').textContent()) ?? '';
    expect(deduction).toContain('Pot of 100.00, less the costs of batch “Helles #1”');
    expect(deduction).toMatch(/energy ale heat: [\d.]+ h at 2000 W = [\d.]+ kWh at 2\/kWh: /);
    expect(deduction).toContain('yeast W-34/70: 2 sachet: 9.80');
    // The shares add up to the amount less the costs, to the cent.
    expect(await page.getByTestId('pot-sum').textContent()).toBe(`Sum of the shares: ${netText}`);
    await page.close();
  });

  it('shares a board profile checked as board.custom is, and shows its ratings', {
    timeout: 60_000,
  }, async () => {
    const a = new ApiClient(rig.url);
    await a.login(RIG_USERS.brewer.name, RIG_USERS.brewer.password);
    const bad = await a.post<{ code: string; message: string }>('api/hardware', {
      kind: 'board-profile',
      title: 'Broken',
      document: { basedOn: 'ref-uno-r1', channels: { ssr1: { type: 'ssr', pin: 'D7' } } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('COBREW_ERR_HARDWARE_DOCUMENT');
    const shared = await a.post<{ versions: Array<{ id: string }>; licence: string }>('api/hardware', {
      kind: 'board-profile',
      title: 'Small SSR board',
      document: SMALL_SSR,
      licence: 'CERN-OHL-W-2.0',
    });
    expect(shared.status).toBe(201);
    const ledger = await a.get<{ events: Array<{ kind: string; contributor: string }> }>(
      'api/ledger?kind=hardware',
    );
    expect(ledger.body.events).toMatchObject([{ kind: 'hardware', contributor: RIG_USERS.brewer.name }]);

    const page = await browser.newPage();
    await signIn(page, rig.url, RIG_USERS.viewer);
    await page.goto(`${rig.url}#/hardware`);
    const item = page.getByTestId('hardware').locator('li').first();
    await expect.poll(async () => (await item.textContent()) ?? '', SOON).toContain('Small SSR board');
    expect(await item.textContent()).toContain('CERN-OHL-W-2.0');
    expect(await item.getByTestId('ratings').textContent()).toContain(
      '10 A rated, 5 °C/W heat sink, 1.6 V drop',
    );
    expect(await item.textContent()).toContain(`fromCommons: ${shared.body.versions[0]?.id}`);
    await page.close();
  });
});
