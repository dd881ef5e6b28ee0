// Every fermenter at a glance, updated live, with the batch it holds and its next booking.
import { useEffect, useState } from 'preact/hooks';

import { Badges, Readings } from '../components/readings.js';
import { formats } from '../format.js';
import { fermenter, fermenterIds, listLoaded } from '../live.js';
import { t } from '../prefs.js';
import { href } from '../router.js';
import { type BookingList, commons, type Holders } from './recipes/api.js';

type Holder = Holders['holders'][number];
type Booking = BookingList['bookings'][number];

/** Who holds the fermenter now and who has booked it next. */
function Occupancy({ holder, next }: { holder?: Holder | undefined; next?: Booking | undefined }) {
  const m = t.value;
  return (
    <>
      {holder !== undefined && (
        <p class="small" data-field="batch">
          {m.batchNow}: <strong>{holder.name}</strong> {m.batchOf} {holder.owner}
        </p>
      )}
      {next !== undefined && (
        <p class="muted small" data-field="next-booking">
          {m.nextBooking}: {next.name} ({next.booker}), {formats.value.dateTime(next.startsAt)}
        </p>
      )}
    </>
  );
}

function Card({ id, holder, next }: { id: string; holder?: Holder | undefined; next?: Booking | undefined }) {
  const f = fermenter(id)?.value;
  if (f === undefined) return null;
  const titleId = `f-${id}`;
  return (
    <article class="card" aria-labelledby={titleId} data-fermenter={id}>
      <h2 id={titleId}>
        <a href={href.detail(id)}>{f.name}</a>
      </h2>
      <Badges f={f} />
      <Occupancy holder={holder} next={next} />
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
  const [holders, setHolders] = useState<Holder[]>([]);
  const [bookings, setBookings] = useState<Booking[]>([]);
  useEffect(() => {
    // Batches and bookings change by people's hands, not by the second: read once per visit.
    commons.holders().then(
      (a) => setHolders(a.holders),
      () => setHolders([]),
    );
    commons.bookings({ from: Date.now() }).then(
      (a) => setBookings(a.bookings.filter((b) => b.batchId === null)),
      () => setBookings([]),
    );
  }, []);
  return (
    <section>
      <h1 tabIndex={-1}>{m.nav.overview}</h1>
      {ids.length === 0 && <p>{listLoaded.value ? m.noFermenters : m.loading}</p>}
      <div class="cards">
        {ids.map((id) => (
          <Card
            key={id}
            id={id}
            holder={holders.find((h) => h.fermenterId === id)}
            next={bookings.find((b) => b.fermenterId === id)}
          />
        ))}
      </div>
    </section>
  );
}
