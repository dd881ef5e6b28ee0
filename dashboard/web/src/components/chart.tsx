// The temperature chart (uPlot: canvas, stays fast with 100k points). Markers — incidents, setpoint and
// mode changes, profile steps, changes by a person — are drawn as vertical lines; the page lists them in
// text beside the chart for readers who cannot see it. Bands along the bottom show when heat and cool were on.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { type Columns, hasGravity } from '../chart-data.js';

export interface Marker {
  at: number;
  kind: string;
  text: string;
}

export const MARKER_COLOURS: Record<string, string> = {
  incident: '#b3261e',
  setpoint: '#0b57d0',
  mode: '#7b1fa2',
  'profile-step': '#1b7f3b',
  audit: '#a35200',
};

interface ChartProps {
  cols: Columns;
  /** Bumped by the owner each time cols changed in place. */
  version: number;
  markers: Marker[];
  names: {
    beer: string;
    chamber: string;
    ambient: string;
    beerSetpoint: string;
    chamberSetpoint: string;
    gravity: string;
  };
  unitLabel: string;
  locale: string;
  /** Describes the chart for screen readers. */
  label: string;
}

function markerPlugin(markers: { current: Marker[] }): uPlot.Plugin {
  return {
    hooks: {
      draw: (u) => {
        const { ctx, bbox } = u;
        const min = u.scales.x?.min ?? 0;
        const max = u.scales.x?.max ?? 0;
        ctx.save();
        ctx.lineWidth = Math.max(1, devicePixelRatio);
        for (const m of markers.current) {
          if (m.at < min || m.at > max) continue;
          const x = Math.round(u.valToPos(m.at, 'x', true));
          ctx.strokeStyle = MARKER_COLOURS[m.kind] ?? '#444';
          ctx.setLineDash(m.kind === 'incident' ? [] : [4 * devicePixelRatio, 3 * devicePixelRatio]);
          ctx.beginPath();
          ctx.moveTo(x, bbox.top);
          ctx.lineTo(x, bbox.top + bbox.height);
          ctx.stroke();
        }
        ctx.restore();
      },
    },
  };
}

export const OUTPUT_COLOURS = { heat: '#d93025', cool: '#1a73e8' } as const;
/** Height of each output's band along the bottom of the plot, CSS pixels. */
const BAND_PX = 8;

/**
 * When each output was on, as two bands under the temperature lines (cooling lowest): opaque while on,
 * fainter for a history bucket in which it was on only part of the time.
 */
function outputBands(cols: { current: Columns }): uPlot.Plugin {
  return {
    hooks: {
      drawAxes: (u) => {
        const { ctx, bbox } = u;
        const t = cols.current.t;
        const h = BAND_PX * devicePixelRatio;
        ctx.save();
        (['cool', 'heat'] as const).forEach((o, lane) => {
          const v = cols.current.values[o];
          const top = bbox.top + bbox.height - (lane + 1) * h;
          ctx.fillStyle = OUTPUT_COLOURS[o];
          for (let i = 0; i < t.length; i++) {
            const share = v[i] ?? 0;
            const next = t[i + 1];
            if (share <= 0 || next === undefined) continue;
            const x0 = u.valToPos(t[i] as number, 'x', true);
            const x1 = u.valToPos(next, 'x', true);
            if (x1 < bbox.left || x0 > bbox.left + bbox.width) continue;
            ctx.globalAlpha = 0.25 + 0.6 * Math.min(1, share);
            ctx.fillRect(x0, top, Math.max(1, x1 - x0), h);
          }
        });
        ctx.restore();
      },
    },
  };
}

const DATE_PARTS: Array<[RegExp, Intl.DateTimeFormatOptions]> = [
  [/\{YY/, { year: 'numeric' }],
  [/\{M/, { month: 'short' }],
  [/\{D/, { day: 'numeric' }],
  [/\{[hH]|\{mm\}/, { hour: '2-digit', minute: '2-digit' }],
  [/\{ss\}/, { second: '2-digit' }],
];

/** uPlot's axis templates ('{h}:{mm}{aa}\n{M}/{D}/{YY}') written the reader's way with Intl. */
function localDates(locale: string): (tpl: string) => (date: Date) => string {
  return (tpl) => {
    const lines = tpl.split('\n').map((line) => {
      const parts = DATE_PARTS.filter(([re]) => re.test(line)).map(([, o]) => o);
      return parts.length === 0 ? null : new Intl.DateTimeFormat(locale, Object.assign({}, ...parts));
    });
    return (date) => lines.map((f) => (f === null ? '' : f.format(date))).join('\n');
  };
}

function data(cols: Columns, gravity: boolean): uPlot.AlignedData {
  const v = cols.values;
  const ys = [v.beerC, v.chamberC, v.ambientC, v.beerSetpointC, v.chamberSetpointC];
  return [cols.t, ...(gravity ? [...ys, v.gravity] : ys)] as uPlot.AlignedData;
}

export function Chart({ cols, version, markers, names, unitLabel, locale, label }: ChartProps) {
  const box = useRef<HTMLElement>(null);
  const plot = useRef<uPlot | null>(null);
  const markerRef = useRef(markers);
  markerRef.current = markers;
  const colsRef = useRef(cols);
  colsRef.current = cols;
  const gravity = hasGravity(cols);
  // uPlot cannot lay out axes without a single point: the plot is made with the first one.
  const empty = cols.t.length === 0;
  const pending = useRef(0);

  // (Re)built when what the axes and legend say changes; new data alone only calls setData.
  useEffect(() => {
    const el = box.current;
    if (el === null || empty) return;
    const temp = (label: string, stroke: string, dash?: number[], show = true): uPlot.Series => ({
      label,
      stroke,
      width: 2,
      scale: 't',
      show,
      spanGaps: false,
      value: (_u, v) => (v === null ? '—' : `${v.toFixed(1)} ${unitLabel}`),
      ...(dash === undefined ? {} : { dash }),
    });
    const when = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' });
    const series: uPlot.Series[] = [
      { value: (_u, v) => (v === null ? '—' : when.format(v)) },
      temp(names.beer, '#a35200'),
      temp(names.chamber, '#0b57d0'),
      temp(names.ambient, '#5f6368'),
      temp(names.beerSetpoint, '#a35200', [6, 4]),
      // In beer mode this is the controller's own moving target: shown on request (click the legend).
      temp(names.chamberSetpoint, '#0b57d0', [6, 4], false),
    ];
    const axes: uPlot.Axis[] = [
      {},
      { scale: 't', values: (_u, ticks) => ticks.map((v) => `${v}${unitLabel}`), size: 60 },
    ];
    if (gravity) {
      series.push({
        label: names.gravity,
        stroke: '#1b7f3b',
        width: 2,
        scale: 'sg',
        value: (_u, v) => (v === null ? '—' : v.toFixed(3)),
      });
      axes.push({
        scale: 'sg',
        side: 1,
        grid: { show: false },
        values: (_u, ticks) => ticks.map((v) => v.toFixed(3)),
        size: 60,
      });
    }
    const u = new uPlot(
      {
        width: el.clientWidth,
        height: Math.max(220, Math.min(420, Math.round(el.clientWidth * 0.55))),
        ms: 1,
        fmtDate: localDates(locale),
        series,
        axes,
        scales: { x: { time: true } },
        legend: { live: true },
        plugins: [outputBands(colsRef), markerPlugin(markerRef)],
      },
      data(cols, gravity),
      el,
    );
    plot.current = u;
    const resize = new ResizeObserver(() => {
      const width = el.clientWidth;
      if (width > 0 && width !== u.width) {
        u.setSize({ width, height: Math.max(220, Math.min(420, Math.round(width * 0.55))) });
      }
    });
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [gravity, unitLabel, names, locale, empty]);

  // New points: redraw once per frame at most, however fast states arrive.
  useEffect(() => {
    if (pending.current !== 0) return;
    pending.current = requestAnimationFrame(() => {
      pending.current = 0;
      plot.current?.setData(data(cols, gravity));
    });
  }, [version, cols, gravity]);

  useEffect(() => {
    plot.current?.redraw(false);
  }, [markers]);

  useEffect(() => () => cancelAnimationFrame(pending.current), []);

  return <figure class="chart" ref={box} aria-label={label} data-testid="chart" />;
}
