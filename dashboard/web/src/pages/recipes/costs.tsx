// What a batch cost, on its page: its outputs' energy priced line by line with the space's tariff, the
// consumables recorded against it (and a form to record one), the total, and the export. The server works it
// all out; the page only shows it.
import { useState } from 'preact/hooks';
import { t } from '../../prefs.js';
import { type BatchCost, commons, costExportUrl, type NewConsumable } from './api.js';
import { rt } from './i18n.js';
import { errorText, useLoad } from './load.js';
import { money, Show } from './parts.js';

const COST = /^\d{1,12}([.,]\d{1,2})?$/;
const hours = (h: number) => (Math.round(h * 100) / 100).toString();
const kwh = (x: number) => (Math.round(x * 1000) / 1000).toString();

function Energy({ cost }: { cost: BatchCost }) {
  const c = rt.value.costs;
  const e = cost.energy;
  if (!e.known)
    return (
      <p class="muted" data-testid="energy-unknown">
        {c.unknown}: {e.note}
      </p>
    );
  return (
    <>
      {e.lines.length === 0 ? (
        <p class="muted">{c.noEnergy}</p>
      ) : (
        <table class="commons-table" data-testid="energy-lines">
          <thead>
            <tr>
              <th scope="col">{c.fermenter}</th>
              <th scope="col">{c.output}</th>
              <th scope="col">{c.period}</th>
              <th scope="col">{c.hours}</th>
              <th scope="col">{c.kWh}</th>
              <th scope="col">{c.price}</th>
              <th scope="col">{c.cost}</th>
            </tr>
          </thead>
          <tbody>
            {e.lines.map((l) => (
              <tr key={`${l.fermenterId}-${l.output}-${l.period}`}>
                <td data-label={c.fermenter}>{l.fermenterId}</td>
                <td data-label={c.output}>
                  {c.outputs[l.output] ?? l.output} ({l.loadW} W)
                </td>
                <td data-label={c.period}>{c.periods[l.period] ?? l.period}</td>
                <td data-label={c.hours}>{hours(l.onHours)} h</td>
                <td data-label={c.kWh}>{kwh(l.kWh)}</td>
                <td data-label={c.price}>{l.pricePerKWh}</td>
                <td data-label={c.cost}>{money(l.cost)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {e.undeclared.map((u) => (
        <p key={`${u.fermenterId}-${u.output}`} class="muted small">
          {c.undeclared(u.fermenterId, u.output, hours(u.onHours))}
        </p>
      ))}
    </>
  );
}

function AddConsumable({ batchId, onAdded }: { batchId: string; onAdded: () => void }) {
  const c = rt.value.costs;
  const [error, setError] = useState<string | null>(null);
  const submit = async (ev: Event) => {
    ev.preventDefault();
    const form = ev.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const cost = String(data.get('cost') ?? '').trim();
    if (!COST.test(cost)) {
      setError(c.badCost);
      return;
    }
    const body: NewConsumable = {
      kind: String(data.get('kind')) as NewConsumable['kind'],
      name: String(data.get('name') ?? '').trim(),
      quantity: Number(String(data.get('quantity') ?? '').replace(',', '.')),
      unit: String(data.get('unit') ?? '').trim(),
      cost: cost.replace(',', '.'),
    };
    try {
      await commons.addConsumable(batchId, body);
      setError(null);
      form.reset();
      onAdded();
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <form class="search" onSubmit={submit} data-testid="consumable-form" noValidate>
      <fieldset>
        <legend>{c.add}</legend>
        <label class="field">
          <span>{c.kind}</span>
          <select name="kind" defaultValue="yeast">
            {Object.entries(c.kinds).map(([k, label]) => (
              <option key={k} value={k}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span>{c.name}</span>
          <input name="name" required autoComplete="off" />
        </label>
        <label class="field">
          <span>{c.quantity}</span>
          <input name="quantity" inputMode="decimal" required autoComplete="off" />
        </label>
        <label class="field">
          <span>{c.unit}</span>
          <input name="unit" required autoComplete="off" />
        </label>
        <label class="field">
          <span>{c.cost}</span>
          <input name="cost" inputMode="decimal" required autoComplete="off" />
        </label>
        <button type="submit">{c.add}</button>
      </fieldset>
      {error !== null && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

export function BatchCosts({ batchId }: { batchId: string }) {
  const c = rt.value.costs;
  const colon = t.value.colon;
  const [version, setVersion] = useState(0);
  const state = useLoad(() => commons.batchCost(batchId), [batchId, version]);
  const reload = () => setVersion((v) => v + 1);
  return (
    <section class="panel" aria-labelledby="costs-title" data-testid="batch-costs">
      <h2 id="costs-title">{c.title}</h2>
      <Show state={state}>
        {(cost) => (
          <>
            <dl class="facts">
              <div>
                <dt>{c.energy}</dt>
                <dd data-testid="energy-kwh">{cost.energy.known ? `${kwh(cost.energy.kWh)} kWh` : '—'}</dd>
              </div>
              <div>
                <dt>{c.energyCost}</dt>
                <dd data-testid="energy-cost">
                  {money(cost.energy.cost)} {cost.currency}
                </dd>
              </div>
              <div>
                <dt>{c.consumables}</dt>
                <dd>
                  {money(cost.consumablesCost)} {cost.currency}
                </dd>
              </div>
              <div>
                <dt>{c.total}</dt>
                <dd>
                  <strong data-testid="cost-total" data-amount={cost.total}>
                    {money(cost.total)} {cost.currency}
                  </strong>
                  {cost.period.ongoing && <span class="muted small"> {c.ongoing}</span>}
                </dd>
              </div>
            </dl>
            <h3>{c.energy}</h3>
            <Energy cost={cost} />
            <h3>{c.consumables}</h3>
            {cost.consumables.length === 0 ? (
              <p class="muted">{c.noConsumables}</p>
            ) : (
              <ul data-testid="consumables">
                {cost.consumables.map((x) => (
                  <li key={x.id}>
                    {c.kinds[x.kind] ?? x.kind} · {x.name} · {x.quantity} {x.unit}
                    {colon}
                    {money(x.cost)} {cost.currency}{' '}
                    <button
                      type="button"
                      class="link"
                      onClick={() => commons.removeConsumable(batchId, x.id).then(reload, reload)}
                    >
                      {c.remove}
                    </button>
                  </li>
                ))}
              </ul>
            )}
            <AddConsumable batchId={batchId} onAdded={reload} />
            <p>
              {c.export}: <a href={costExportUrl(batchId, 'csv')}>CSV</a>{' '}
              <a href={costExportUrl(batchId, 'json')}>JSON</a>
            </p>
          </>
        )}
      </Show>
    </section>
  );
}
