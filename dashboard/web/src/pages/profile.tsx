// The profile editor: hold and ramp steps, each optionally ended early by gravity (the `until` conditions
// of a profile step in cobrew.yaml), started on the fermenter in one command. The last profile started from
// this browser is kept as the next draft. With `next`, it edits the steps still to come of the running
// profile instead, which replace them without restarting it.
import { useState } from 'preact/hooks';
import { ApiError, api, type ProfileStepInput } from '../api.js';
import { formats } from '../format.js';
import { fermenter } from '../live.js';
import { t, unit } from '../prefs.js';
import { href } from '../router.js';
import { canControl, noticeSessionEnd } from '../session.js';
import { fromCelsius, toCelsius, type Unit } from '../units.js';

interface StepDraft {
  key: number;
  type: 'hold' | 'ramp';
  target: string;
  durationH: string;
  useUntil: boolean;
  minH: string;
  gravityAtMost: string;
  stableH: string;
  stablePoints: string;
}

let nextKey = 1;
const draftKey = (id: string) => `cobrew.profile.${id}`;

function toDraft(s: ProfileStepInput, u: Unit): StepDraft {
  const text = (v: number | undefined) => (v === undefined ? '' : String(v));
  return {
    key: nextKey++,
    type: s.type,
    target: String(Math.round(fromCelsius(s.targetC, u) * 10) / 10),
    durationH: String(s.durationH),
    useUntil: s.until !== undefined,
    minH: text(s.until?.minH),
    gravityAtMost: text(s.until?.gravityAtMost),
    stableH: text(s.until?.stableH),
    stablePoints: text(s.until?.stablePoints),
  };
}

function savedDraft(id: string, u: Unit): StepDraft[] {
  try {
    const steps = JSON.parse(localStorage.getItem(draftKey(id)) ?? 'null') as ProfileStepInput[] | null;
    if (Array.isArray(steps) && steps.length > 0) return steps.map((s) => toDraft(s, u));
  } catch {
    // A draft that cannot be read is simply not offered.
  }
  return [toDraft({ type: 'hold', targetC: 18, durationH: 72 }, u)];
}

const parse = (text: string): number | undefined => {
  if (text.trim() === '') return undefined;
  const v = Number(text.replace(',', '.'));
  return Number.isFinite(v) ? v : Number.NaN;
};

/** The steps as the bridge takes them; the bridge checks the limits and names any value it refuses. */
function toSteps(drafts: StepDraft[], u: Unit): ProfileStepInput[] {
  return drafts.map((d) => {
    const step: ProfileStepInput = {
      type: d.type,
      targetC: toCelsius(parse(d.target) ?? Number.NaN, u),
      durationH: parse(d.durationH) ?? Number.NaN,
    };
    if (d.useUntil) {
      const until: NonNullable<ProfileStepInput['until']> = {};
      const minH = parse(d.minH);
      const gravityAtMost = parse(d.gravityAtMost);
      const stableH = parse(d.stableH);
      const stablePoints = parse(d.stablePoints);
      if (minH !== undefined) until.minH = minH;
      if (gravityAtMost !== undefined) until.gravityAtMost = gravityAtMost;
      if (stableH !== undefined) until.stableH = stableH;
      if (stablePoints !== undefined) until.stablePoints = stablePoints;
      step.until = until;
    }
    return step;
  });
}

function Field(props: {
  id: string;
  label: string;
  value: string;
  onInput: (v: string) => void;
  disabled: boolean;
  required?: boolean;
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        inputMode="decimal"
        value={props.value}
        required={props.required}
        disabled={props.disabled}
        onInput={(e) => props.onInput((e.currentTarget as HTMLInputElement).value)}
      />
    </div>
  );
}

export function ProfileEditor({ id, next = false }: { id: string; next?: boolean }) {
  const m = t.value;
  const u = unit.value;
  const f = fermenter(id)?.value;
  const running = f?.state?.profile ?? null;
  const [steps, setSteps] = useState<StepDraft[]>(() =>
    next ? (running?.next ?? []).map((s) => toDraft(s, u)) : savedDraft(id, u),
  );
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const editable = canControl.value;
  const disabled = !editable || busy;

  const change = (key: number, patch: Partial<StepDraft>) =>
    setSteps((all) => all.map((s) => (s.key === key ? { ...s, ...patch } : s)));
  const move = (index: number, by: -1 | 1) =>
    setSteps((all) => {
      const next = [...all];
      const [step] = next.splice(index, 1);
      if (step !== undefined) next.splice(index + by, 0, step);
      return next;
    });

  const start = async (e: Event) => {
    e.preventDefault();
    if (steps.length === 0 && !next) {
      setOutcome({ ok: false, text: m.profile.empty });
      return;
    }
    const payload = toSteps(steps, u);
    setBusy(true);
    setOutcome(null);
    try {
      if (next) {
        await api.set(id, { nextSteps: payload });
        setOutcome({ ok: true, text: m.profile.replaced });
        return;
      }
      await api.set(id, { profile: 'start', steps: payload });
      try {
        localStorage.setItem(draftKey(id), JSON.stringify(payload));
      } catch {
        // The profile runs; only the draft for next time is not kept.
      }
      setOutcome({ ok: true, text: m.profile.started });
    } catch (err) {
      noticeSessionEnd(err);
      const text =
        err instanceof ApiError && err.status === 403
          ? m.errors.forbidden
          : err instanceof ApiError && err.status !== 0
            ? err.message
            : m.errors.network;
      setOutcome({ ok: false, text });
    } finally {
      setBusy(false);
    }
  };

  const name = f?.name ?? id;
  return (
    <section class="profile">
      <p class="crumb">
        <a href={href.detail(id)}>← {name}</a>
      </p>
      <h1 tabIndex={-1}>{next ? m.profile.nextTitle(name) : m.profile.title(name)}</h1>
      <p>{next ? m.profile.nextIntro : m.profile.intro}</p>
      {next && running === null && <p class="muted">{m.profile.notRunning}</p>}
      {!editable && <p class="muted">{m.detail.viewerNote}</p>}
      <form onSubmit={start} data-testid="profile-form">
        <ol class="steps">
          {steps.map((s, i) => {
            const p = `step-${s.key}`;
            return (
              <li key={s.key}>
                <fieldset>
                  <legend>{m.profile.step(i + 1 + (next ? (running?.step ?? 0) + 1 : 0))}</legend>
                  <div class="field">
                    <label for={`${p}-type`}>{m.profile.type}</label>
                    <select
                      id={`${p}-type`}
                      value={s.type}
                      disabled={disabled}
                      onChange={(e) =>
                        change(s.key, {
                          type: (e.currentTarget as HTMLSelectElement).value as StepDraft['type'],
                        })
                      }
                    >
                      <option value="hold">{m.profile.types.hold}</option>
                      <option value="ramp">{m.profile.types.ramp}</option>
                    </select>
                  </div>
                  <Field
                    id={`${p}-target`}
                    label={`${m.profile.targetC} (${formats.value.unitLabel})`}
                    value={s.target}
                    onInput={(v) => change(s.key, { target: v })}
                    disabled={disabled}
                    required
                  />
                  <Field
                    id={`${p}-duration`}
                    label={m.profile.durationH}
                    value={s.durationH}
                    onInput={(v) => change(s.key, { durationH: v })}
                    disabled={disabled}
                    required
                  />
                  <div class="field check">
                    <input
                      id={`${p}-until`}
                      type="checkbox"
                      checked={s.useUntil}
                      disabled={disabled}
                      onChange={(e) =>
                        change(s.key, { useUntil: (e.currentTarget as HTMLInputElement).checked })
                      }
                    />
                    <label for={`${p}-until`}>{m.profile.until}</label>
                  </div>
                  {s.useUntil && (
                    <div class="until">
                      <Field
                        id={`${p}-gravity`}
                        label={m.profile.gravityAtMost}
                        value={s.gravityAtMost}
                        onInput={(v) => change(s.key, { gravityAtMost: v })}
                        disabled={disabled}
                      />
                      <Field
                        id={`${p}-stable`}
                        label={m.profile.stableH}
                        value={s.stableH}
                        onInput={(v) => change(s.key, { stableH: v })}
                        disabled={disabled}
                      />
                      <Field
                        id={`${p}-points`}
                        label={m.profile.stablePoints}
                        value={s.stablePoints}
                        onInput={(v) => change(s.key, { stablePoints: v })}
                        disabled={disabled}
                      />
                      <Field
                        id={`${p}-min`}
                        label={m.profile.minH}
                        value={s.minH}
                        onInput={(v) => change(s.key, { minH: v })}
                        disabled={disabled}
                      />
                    </div>
                  )}
                  {editable && (
                    <div class="row">
                      <button
                        type="button"
                        class="secondary"
                        aria-label={`${m.profile.up} (${m.profile.step(i + 1)})`}
                        disabled={busy || i === 0}
                        onClick={() => move(i, -1)}
                      >
                        {m.profile.up}
                      </button>
                      <button
                        type="button"
                        class="secondary"
                        aria-label={`${m.profile.down} (${m.profile.step(i + 1)})`}
                        disabled={busy || i === steps.length - 1}
                        onClick={() => move(i, 1)}
                      >
                        {m.profile.down}
                      </button>
                      <button
                        type="button"
                        class="secondary"
                        aria-label={`${m.profile.remove} (${m.profile.step(i + 1)})`}
                        disabled={busy}
                        onClick={() => setSteps((all) => all.filter((x) => x.key !== s.key))}
                      >
                        {m.profile.remove}
                      </button>
                    </div>
                  )}
                </fieldset>
              </li>
            );
          })}
        </ol>
        {editable && (
          <div class="row">
            <button
              type="button"
              class="secondary"
              disabled={busy}
              onClick={() =>
                setSteps((all) => [...all, toDraft({ type: 'hold', targetC: 18, durationH: 24 }, u)])
              }
            >
              {m.profile.add}
            </button>
            <button type="submit" disabled={busy} data-testid="profile-submit">
              {next ? m.profile.replaceNext : m.profile.start}
            </button>
          </div>
        )}
        {outcome !== null && (
          <p class={outcome.ok ? 'ok-text' : 'error'} role={outcome.ok ? 'status' : 'alert'}>
            {outcome.text}
          </p>
        )}
      </form>
    </section>
  );
}
