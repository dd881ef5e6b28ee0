// Every fermenter at a glance, updated live.

import { Badges, Readings } from '../components/readings.js';
import { formats } from '../format.js';
import { fermenter, fermenterIds, listLoaded } from '../live.js';
import { t } from '../prefs.js';
import { href } from '../router.js';

function Card({ id }: { id: string }) {
  const f = fermenter(id)?.value;
  if (f === undefined) return null;
  const titleId = `f-${id}`;
  return (
    <article class="card" aria-labelledby={titleId} data-fermenter={id}>
      <h2 id={titleId}>
        <a href={href.detail(id)}>{f.name}</a>
      </h2>
      <Badges f={f} />
      <Readings f={f} />
      {f.state !== null && (
        <p class="muted small">
          {t.value.readingAt} {formats.value.dateTime(f.state.at)}
        </p>
      )}
    </article>
  );
}

export function Overview() {
  const m = t.value;
  const ids = fermenterIds.value;
  return (
    <section>
      <h1 tabIndex={-1}>{m.nav.overview}</h1>
      {ids.length === 0 && <p>{listLoaded.value ? m.noFermenters : m.loading}</p>}
      <div class="cards">
        {ids.map((id) => (
          <Card key={id} id={id} />
        ))}
      </div>
    </section>
  );
}
