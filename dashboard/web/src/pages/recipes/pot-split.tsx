// A pot split: choose a recipe and an amount, and see each contributor's share with every contribution behind
// it, line by line, adding up to the amount exactly. The server computes in integer cents; the page only shows.
import { useState } from 'preact/hooks';
import { t } from '../../prefs.js';
import { commons, type PotSplit } from './api.js';
import { rt } from './i18n.js';
import { errorText, useLoad } from './load.js';
import { money, Show, When } from './parts.js';
import { commonsHref } from './routes.js';

/** "100", "100.5", "100,50": at most two decimals, a comma allowed for French readers. */
const AMOUNT = /^\d{1,12}([.,]\d{1,2})?$/;

/** Integer cents of a "12.34" amount, to show that the shares add up. */
const cents = (amount: string) => {
  const [whole = '0', frac = ''] = amount.split('.');
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
};
const fromCents = (n: number) => `${Math.floor(n / 100)}.${String(n % 100).padStart(2, '0')}`;

function Deduction({ d, net }: { d: NonNullable<PotSplit['deduction']>; net: string }) {
  const p = rt.value.pot;
  return (
    <div data-testid="deduction">
      <p>{p.deduction(money(d.gross), d.batchName)}</p>
      <ul class="small">
        {d.lines.map((l) => (
          <li key={l.label}>
            {l.label}
            {t.value.colon}
            {money(l.cost)}
          </li>
        ))}
      </ul>
      <p data-testid="deducted">
        <code>{d.rule}</code> · {p.deducted(money(d.gross), money(d.total), money(net))}
      </p>
    </div>
  );
}

function Shares({ split }: { split: PotSplit }) {
  const m = rt.value;
  const p = m.pot;
  const sum = split.shares.reduce((s, share) => s + cents(share.amount), 0);
  return (
    <div data-testid="pot-split">
      {split.deduction !== null && <Deduction d={split.deduction} net={split.amount} />}
      <p>
        <strong>{p.summary(money(split.amount), split.title, split.number, split.totalPoints)}</strong>
      </p>
      <ol class="shares" data-testid="shares">
        {split.shares.map((s) => (
          <li key={s.contributor} data-contributor={s.contributor}>
            <p>
              <a href={commonsHref.contributor(s.contributor)}>{s.contributor}</a>
              {t.value.colon}
              <strong data-amount={s.amount}>{money(s.amount)}</strong>
            </p>
            <p class="small">
              {p.share(s.points, split.totalPoints, money(split.amount), money(s.exact))}
              {s.extraCent === 1 && (
                <>
                  {' '}
                  → {money(s.floor)}, {p.extraCent}
                </>
              )}
            </p>
            <ul class="small">
              {s.lines.map((l) => (
                <li key={l.eventId}>
                  <When at={l.at} /> · {m.kinds[l.kind] ?? l.kind} · <code>{p.line(l.rule, l.weight)}</code> →{' '}
                  {money(l.exact)}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
      <p data-testid="pot-sum">
        {p.sum}
        {t.value.colon}
        <strong>{money(fromCents(sum))}</strong>
      </p>
      <p class="muted small">{p.method}</p>
    </div>
  );
}

export function PotSplitPage({ recipeId }: { recipeId: string | null }) {
  const m = rt.value;
  const p = m.pot;
  const recipes = useLoad(() => commons.recipes({ limit: 200 }), []);
  // Batches to deduct, offered only where the community's rule allows it.
  const batches = useLoad(async () => {
    const { potSplit } = await commons.ledger({ limit: 1 });
    if (!potSplit.deductBatchCosts) return [];
    return (await commons.brewLogs({})).brewLogs.filter((b) => b.fermenterId !== null && b.local);
  }, []);
  const [invalid, setInvalid] = useState(false);
  const [result, setResult] = useState<{ split: PotSplit } | { error: string } | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    const id = String(form.get('recipe') ?? '');
    const amount = String(form.get('amount') ?? '').trim();
    const batchId = String(form.get('batch') ?? '');
    const ok = AMOUNT.test(amount);
    setInvalid(!ok);
    if (!ok || id === '') return;
    // The address names the recipe for a bookmark; replaced quietly so the focus stays on the form.
    if (id !== recipeId) history.replaceState(null, '', commonsHref.potSplit(id));
    const normalised = amount.replace(',', '.');
    setResult(null);
    try {
      setResult({ split: await commons.potSplit(id, normalised, batchId === '' ? undefined : batchId) });
    } catch (err) {
      setResult({ error: errorText(err) });
    }
  };

  return (
    <section>
      <h1 tabIndex={-1}>{p.title}</h1>
      <p class="muted">{p.intro}</p>
      <Show state={recipes}>
        {({ recipes: list }) => (
          <form class="search" onSubmit={submit} data-testid="pot-form" noValidate>
            <label class="field">
              <span>{p.recipe}</span>
              <select name="recipe" defaultValue={recipeId ?? ''} required>
                <option value="" disabled>
                  {p.choose}
                </option>
                {list.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.title}
                  </option>
                ))}
              </select>
            </label>
            <label class="field">
              <span>{p.amount}</span>
              <input
                name="amount"
                inputMode="decimal"
                autoComplete="off"
                required
                placeholder={money('100.00')}
                aria-invalid={invalid ? 'true' : undefined}
                aria-describedby={invalid ? 'amount-error' : undefined}
              />
            </label>
            {batches.status === 'ok' && batches.data.length > 0 && (
              <label class="field">
                <span>{p.batch}</span>
                <select name="batch" defaultValue="">
                  <option value="">{p.noBatch}</option>
                  {batches.data.map((b) => (
                    <option key={b.id} value={b.id}>
                      {b.name} ({b.recipeTitle} v{b.versionNumber})
                    </option>
                  ))}
                </select>
              </label>
            )}
            <button type="submit">{p.submit}</button>
          </form>
        )}
      </Show>
      {invalid && (
        <p id="amount-error" class="error" role="alert">
          {p.badAmount}
        </p>
      )}
      {result !== null && 'error' in result && (
        <p class="error" role="alert">
          {result.error}
        </p>
      )}
      {result !== null && 'split' in result && <Shares split={result.split} />}
    </section>
  );
}
