// What a brewer or admin may change on a fermenter: mode, setpoints, profile, and clearing a trip after
// seeing the incident that caused it. Other roles get a sentence instead of controls (the server refuses
// their requests anyway).
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, type ControlMode, type Incident, type SetCommand } from '../api.js';
import { formats } from '../format.js';
import type { Fermenter } from '../live.js';
import { liveIncidents } from '../live.js';
import { locale, t, unit } from '../prefs.js';
import { href } from '../router.js';
import { canControl, noticeSessionEnd } from '../session.js';
import { fromCelsius, toCelsius } from '../units.js';

const MODES: ControlMode[] = ['off', 'beer', 'chamber', 'profile'];

type Outcome = { ok: true } | { ok: false; message: string } | null;

function explain(err: unknown): string {
  const m = t.value;
  noticeSessionEnd(err);
  if (!(err instanceof ApiError) || err.status === 0) return m.errors.network;
  if (err.code === 'COBREW_ERR_NOT_YOUR_BATCH') return m.errors.notYourBatch;
  if (err.status === 403) return m.errors.forbidden;
  return err.message;
}

/** Sends one command and reports how it ended. */
function useSend(id: string) {
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const send = async (command: SetCommand): Promise<boolean> => {
    setBusy(true);
    setOutcome(null);
    try {
      await api.set(id, command);
      setOutcome({ ok: true });
      return true;
    } catch (err) {
      setOutcome({ ok: false, message: explain(err) });
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, outcome, send };
}

function Outcome({ outcome }: { outcome: Outcome }) {
  if (outcome === null) return null;
  return outcome.ok ? (
    <p class="ok-text" role="status">
      {t.value.detail.applied}
    </p>
  ) : (
    <p class="error" role="alert">
      {outcome.message}
    </p>
  );
}

/** A setpoint field in the reader's unit; sent in °C. */
function SetpointForm(props: {
  fid: string;
  label: string;
  valueC: number | null;
  disabled: boolean;
  onSend: (c: number) => void;
}) {
  const u = unit.value;
  const shown =
    props.valueC === null
      ? ''
      : fromCelsius(props.valueC, u).toLocaleString(locale.value, {
          maximumFractionDigits: 1,
          useGrouping: false,
        });
  const [text, setText] = useState(shown);
  const [edited, setEdited] = useState(false);
  // Follows the fermenter until the reader starts typing.
  useEffect(() => {
    if (!edited) setText(shown);
  }, [shown, edited]);
  const inputId = `${props.fid}-input`;
  return (
    <form
      class="inline"
      onSubmit={(e) => {
        e.preventDefault();
        const v = Number(text.replace(',', '.'));
        if (text.trim() === '' || !Number.isFinite(v)) return;
        props.onSend(toCelsius(v, u));
        setEdited(false);
      }}
    >
      <label for={inputId}>
        {props.label} ({formats.value.unitLabel})
      </label>
      <input
        id={inputId}
        data-testid={props.fid}
        inputMode="decimal"
        value={text}
        onInput={(e) => {
          setText((e.currentTarget as HTMLInputElement).value);
          setEdited(true);
        }}
        required
      />
      <button type="submit" disabled={props.disabled}>
        {t.value.detail.apply}
      </button>
    </form>
  );
}

function ClearTripDialog(props: {
  f: Fermenter;
  onClose: () => void;
  onConfirm: () => Promise<boolean>;
  busy: boolean;
  outcome: Outcome;
}) {
  const m = t.value;
  const ref = useRef<HTMLDialogElement>(null);
  const safety = props.f.state?.safety;
  const codes = new Set([...(safety?.trips ?? []), ...(safety?.alarms ?? [])]);
  const matches = (i: Incident) => i.fermenterId === props.f.id && codes.has(i.code);
  const [incident, setIncident] = useState<Incident | null | undefined>(liveIncidents.value.find(matches));

  useEffect(() => {
    ref.current?.showModal();
    if (incident !== undefined) return;
    api.incidents(props.f.id, 50).then(
      ({ incidents }) => setIncident(incidents.find(matches) ?? null),
      () => setIncident(null),
    );
  }, []);

  return (
    <dialog ref={ref} aria-labelledby="clear-title" onClose={props.onClose} data-testid="clear-dialog">
      <h2 id="clear-title">{m.clear.title}</h2>
      <p>{m.clear.intro}</p>
      {incident === undefined && <p aria-busy="true">{m.loading}</p>}
      {incident === null && <p>{m.clear.noIncident}</p>}
      {incident !== undefined && incident !== null && (
        <dl class="incident" data-testid="clear-incident">
          <dt>{m.incidents.when}</dt>
          <dd>{formats.value.dateTime(incident.at)}</dd>
          <dt>{m.incidents.code}</dt>
          <dd>
            <code>{incident.code}</code> ({m.incidents.severities[incident.severity] ?? incident.severity})
          </dd>
          <dt>{m.incidents.message}</dt>
          <dd>{incident.message}</dd>
        </dl>
      )}
      {props.outcome?.ok === false && <Outcome outcome={props.outcome} />}
      <div class="actions">
        <button type="button" class="secondary" onClick={() => ref.current?.close()}>
          {m.clear.cancel}
        </button>
        <button
          type="button"
          class="danger"
          data-testid="confirm-clear"
          disabled={props.busy}
          onClick={() => {
            // Closing returns the focus to the button that opened the dialog.
            void props.onConfirm().then((ok) => ok && ref.current?.close());
          }}
        >
          {m.clear.confirm}
        </button>
      </div>
    </dialog>
  );
}

/** Operations on the running step: skip, hold or resume, extend by some hours, edit the steps to come. */
function StepControls(props: {
  fid: string;
  held: boolean;
  busy: boolean;
  send: (c: SetCommand) => Promise<boolean>;
}) {
  const m = t.value;
  const [hours, setHours] = useState('12');
  const { busy, send } = props;
  return (
    <>
      <p class="row" data-testid="step-controls">
        <button
          type="button"
          class="secondary"
          disabled={busy}
          onClick={() => void send({ profile: 'skip' })}
        >
          {m.detail.skipStep}
        </button>
        <button
          type="button"
          class="secondary"
          disabled={busy}
          onClick={() => void send({ profile: props.held ? 'resume' : 'hold' })}
        >
          {props.held ? m.detail.resumeStep : m.detail.holdStep}
        </button>
        <a class="button secondary" href={href.nextSteps(props.fid)}>
          {m.detail.editNext}
        </a>
      </p>
      <form
        class="inline"
        onSubmit={(e) => {
          e.preventDefault();
          const h = Number(hours.replace(',', '.'));
          if (hours.trim() !== '' && Number.isFinite(h)) void send({ extendStepH: h });
        }}
      >
        <label for="extend-hours">{m.detail.extendBy}</label>
        <input
          id="extend-hours"
          data-testid="extend-hours"
          inputMode="decimal"
          value={hours}
          onInput={(e) => setHours((e.currentTarget as HTMLInputElement).value)}
          required
        />
        <button type="submit" disabled={busy}>
          {m.detail.extend}
        </button>
      </form>
    </>
  );
}

export function Controls({ f }: { f: Fermenter }) {
  const m = t.value;
  const { busy, outcome, send } = useSend(f.id);
  const [mode, setMode] = useState<ControlMode>(f.state?.mode ?? 'beer');
  const [confirming, setConfirming] = useState(false);
  const current = f.state?.mode;
  useEffect(() => {
    if (current !== undefined) setMode(current);
  }, [current]);

  if (!canControl.value) {
    return (
      <section aria-labelledby="control-title" class="panel">
        <h2 id="control-title">{m.detail.control}</h2>
        <p class="muted" data-testid="viewer-note">
          {m.detail.viewerNote}
        </p>
      </section>
    );
  }
  const s = f.state;
  return (
    <section aria-labelledby="control-title" class="panel" data-testid="controls">
      <h2 id="control-title">{m.detail.control}</h2>
      {s !== null && s.safety.status !== 'ok' && (
        <p>
          <button type="button" class="danger" data-testid="clear-trip" onClick={() => setConfirming(true)}>
            {m.detail.clearTrip}
          </button>
        </p>
      )}
      <form
        class="inline"
        onSubmit={(e) => {
          e.preventDefault();
          void send({ mode });
        }}
      >
        <label for="mode-select">{m.mode}</label>
        <select
          id="mode-select"
          data-testid="mode"
          value={mode}
          onChange={(e) => setMode((e.currentTarget as HTMLSelectElement).value as ControlMode)}
        >
          {MODES.map((md) => (
            <option key={md} value={md}>
              {m.modes[md]}
            </option>
          ))}
        </select>
        <button type="submit" disabled={busy}>
          {m.detail.apply}
        </button>
      </form>
      <SetpointForm
        fid="beer-setpoint"
        label={m.beerSetpoint}
        valueC={s?.beerSetpointC ?? null}
        disabled={busy}
        onSend={(c) => void send({ beerSetpointC: c })}
      />
      <SetpointForm
        fid="chamber-setpoint"
        label={m.chamberSetpoint}
        // Outside chamber mode the controller moves this one itself: nothing to suggest.
        valueC={s?.mode === 'chamber' ? s.chamberSetpointC : null}
        disabled={busy}
        onSend={(c) => void send({ chamberSetpointC: c })}
      />
      <p class="row">
        <a class="button secondary" href={href.profile(f.id)}>
          {m.detail.editProfile}
        </a>
        {s?.mode === 'profile' && (
          <button
            type="button"
            class="secondary"
            disabled={busy}
            onClick={() => void send({ profile: 'stop' })}
          >
            {m.detail.stopProfile}
          </button>
        )}
      </p>
      {s?.profile && <StepControls held={s.profile.held} fid={f.id} busy={busy} send={send} />}
      <Outcome outcome={outcome} />
      {confirming && (
        <ClearTripDialog
          f={f}
          busy={busy}
          outcome={outcome}
          onClose={() => setConfirming(false)}
          onConfirm={() => send({ clearTrip: true })}
        />
      )}
    </section>
  );
}
