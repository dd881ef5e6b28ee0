// The room the fridge stands in. A daily sinusoid is enough to make a controller fight a drifting load.

/** Room temperature in °C at clock time t (epoch ms). */
export type AmbientFn = (t: number) => number;

const DAY_MS = 86_400_000;
/** Rooms are coldest just before dawn and warmest late afternoon: 05:00 and 17:00 UTC. */
const COLDEST_MS = 5 * 3_600_000;

export function dailyAmbient(meanC: number, swingC: number): AmbientFn {
  const w = (2 * Math.PI) / DAY_MS;
  return (t) => meanC - swingC * Math.cos(w * (t - COLDEST_MS));
}
