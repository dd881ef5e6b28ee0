// The running profile at a glance: which step, how far through the whole profile (a bar), time elapsed and
// left in the step and in the profile, and when it ends at the latest. Shown to everyone who may view.
import type { FermenterState } from '../api.js';
import { formats } from '../format.js';
import { t } from '../prefs.js';

type Progress = NonNullable<FermenterState['profile']>;

export function ProfileProgress({ p }: { p: Progress }) {
  const m = t.value;
  const fmt = formats.value;
  const doneS = p.current.durationH * 3600 - p.stepRemainingS;
  // Time already run in the earlier steps is not known here; the bar shows the step and what is left.
  const totalS = doneS + p.remainingS;
  const fraction = totalS > 0 ? Math.min(1, Math.max(0, doneS / totalS)) : 1;
  return (
    <section aria-labelledby="progress-title" class="panel profile-progress" data-testid="profile-progress">
      <h2 id="progress-title">{m.profile.progress}</h2>
      <p>
        <strong data-testid="profile-step">{m.profile.stepOf(p.step + 1, p.steps)}</strong>
        {' — '}
        {m.profile.types[p.current.type] ?? p.current.type} {fmt.temp(p.current.targetC)}
        {p.held && (
          <>
            {' '}
            <span class="badge alarm" data-testid="profile-held">
              {m.profile.held}
            </span>
          </>
        )}
      </p>
      <progress
        max={1000}
        value={Math.round(fraction * 1000)}
        aria-label={`${m.profile.leftInProfile}: ${fmt.span(p.remainingS)}`}
      />
      <dl class="readings">
        <div>
          <dt>{m.profile.elapsed}</dt>
          <dd data-field="stepElapsed">{fmt.span(p.stepElapsedS)}</dd>
        </div>
        <div>
          <dt>{m.profile.leftInStep}</dt>
          <dd data-field="stepRemaining">{fmt.span(p.stepRemainingS)}</dd>
        </div>
        <div>
          <dt>{m.profile.leftInProfile}</dt>
          <dd data-field="profileRemaining">{fmt.span(p.remainingS)}</dd>
        </div>
        <div>
          <dt>{m.profile.endsAt}</dt>
          <dd data-field="profileEnd">{fmt.shortDateTime(p.endsAt)}</dd>
        </div>
      </dl>
    </section>
  );
}
