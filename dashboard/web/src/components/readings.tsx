// A fermenter's live values as a description list: temperatures, setpoints, mode, outputs, safety,
// and gravity and battery when a hydrometer reports them. Shared by the overview cards and the detail page.
import { formats } from '../format.js';
import type { Fermenter } from '../live.js';
import { t } from '../prefs.js';

export function Readings({ f }: { f: Fermenter }) {
  const m = t.value;
  const fmt = formats.value;
  const s = f.state;
  if (s === null) return <p class="muted">{m.noData}</p>;
  const output = s.outputs.heat ? m.heating : s.outputs.cool ? m.cooling : m.idle;
  const waitFor =
    s.controllerState === 'waiting-to-cool'
      ? 'cool'
      : s.controllerState === 'waiting-to-heat'
        ? 'heat'
        : null;
  const doing =
    (m.doing[s.controllerState] ?? s.controllerState) +
    (waitFor !== null && typeof s.controllerWaitS === 'number'
      ? ` — ${m.startsIn[waitFor](fmt.duration(s.controllerWaitS))}`
      : '');
  const setpoint = s.mode === 'chamber' ? s.chamberSetpointC : s.mode === 'off' ? null : s.beerSetpointC;
  return (
    <dl class="readings">
      <div class="big">
        <dt>{m.beer}</dt>
        <dd data-field="beerC">{fmt.temp(s.beerC)}</dd>
      </div>
      <div class="big">
        <dt>{m.chamber}</dt>
        <dd data-field="chamberC">{fmt.temp(s.chamberC)}</dd>
      </div>
      <div>
        <dt>{m.ambient}</dt>
        <dd data-field="ambientC">{fmt.temp(s.ambientC)}</dd>
      </div>
      <div>
        <dt>{m.setpoint}</dt>
        <dd data-field="setpoint">{fmt.temp(setpoint)}</dd>
      </div>
      <div>
        <dt>{m.mode}</dt>
        <dd data-field="mode">{m.modes[s.mode]}</dd>
      </div>
      <div>
        <dt>{m.outputs}</dt>
        <dd data-field="outputs" class={s.outputs.heat ? 'heat' : s.outputs.cool ? 'cool' : undefined}>
          {output}
        </dd>
      </div>
      <div>
        <dt>{m.controller}</dt>
        <dd data-field="controllerState">{doing}</dd>
      </div>
      {s.gravity !== null && (
        <div>
          <dt>{m.gravity}</dt>
          <dd data-field="gravity">{fmt.gravity(s.gravity)}</dd>
        </div>
      )}
      {s.hydrometerBatteryV !== null && (
        <div>
          <dt>{m.battery}</dt>
          <dd data-field="battery">{fmt.volts(s.hydrometerBatteryV)}</dd>
        </div>
      )}
    </dl>
  );
}

/** Safety and availability as badges; the words carry the meaning, colour only repeats it. */
export function Badges({ f }: { f: Fermenter }) {
  const m = t.value;
  const safety = f.state?.safety;
  return (
    <p class="badges">
      {f.online !== null && (
        <span class={`badge ${f.online ? 'ok' : 'off'}`} data-field="availability">
          {f.online ? m.online : m.offline}
        </span>
      )}
      {safety !== undefined && (
        <span
          class={`badge ${safety.status}`}
          data-field="safety"
          title={[...safety.trips, ...safety.alarms].join(', ')}
        >
          {m.safety}
          {m.colon}
          {m.safetyStatus[safety.status]}
        </span>
      )}
    </p>
  );
}
