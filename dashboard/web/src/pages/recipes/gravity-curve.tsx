// A brew log's gravity readings as a small hand-drawn SVG line (a few dozen points at most, no chart library
// needed), scaled to the box whatever the screen; the readings table beside it carries the same values in text.
import { formats } from '../../format.js';
import type { Reading } from './api.js';

const W = 600;
const H = 220;
const PAD = { left: 56, right: 12, top: 12, bottom: 28 };

export function GravityCurve({ readings, label }: { readings: Reading[]; label: string }) {
  const fmt = formats.value;
  if (readings.length === 0) return null;
  const points = [...readings].sort((a, b) => a.at - b.at);
  const t0 = points[0]?.at ?? 0;
  const t1 = points[points.length - 1]?.at ?? t0;
  const gs = points.map((p) => p.gravity);
  // A little room above and below, and never a flat zero-height scale.
  const gMin = Math.min(...gs) - 0.002;
  const gMax = Math.max(...gs) + 0.002;
  const x = (at: number) => PAD.left + (t1 === t0 ? 0.5 : (at - t0) / (t1 - t0)) * (W - PAD.left - PAD.right);
  const y = (g: number) => PAD.top + ((gMax - g) / (gMax - gMin)) * (H - PAD.top - PAD.bottom);
  const line = points.map((p) => `${x(p.at).toFixed(1)},${y(p.gravity).toFixed(1)}`).join(' ');
  return (
    <svg
      class="gravity-curve"
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label={label}
      data-testid="gravity-curve"
    >
      <line class="axis" x1={PAD.left} y1={H - PAD.bottom} x2={W - PAD.right} y2={H - PAD.bottom} />
      <line class="axis" x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={H - PAD.bottom} />
      {[gMax, (gMax + gMin) / 2, gMin].map((g) => (
        <text key={g} x={PAD.left - 6} y={y(g) + 4} text-anchor="end">
          {fmt.gravity(g)}
        </text>
      ))}
      <text x={PAD.left} y={H - 8}>
        {fmt.shortDateTime(t0)}
      </text>
      {t1 !== t0 && (
        <text x={W - PAD.right} y={H - 8} text-anchor="end">
          {fmt.shortDateTime(t1)}
        </text>
      )}
      <polyline points={line} />
      {points.map((p) => (
        <circle key={p.id} cx={x(p.at)} cy={y(p.gravity)} r={4} />
      ))}
    </svg>
  );
}
