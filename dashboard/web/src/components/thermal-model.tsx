// What cobrew's controller has learnt of a fermenter (its thermal model) and how sure it is, from the
// fermenter's state. Temperatures differences stay in °C/K: they are rates and constants, not readings.
import { formats } from '../format.js';
import type { Fermenter } from '../live.js';
import { locale, t } from '../prefs.js';

export function ThermalModel({ f }: { f: Fermenter }) {
  const m = t.value.model;
  const fmt = formats.value;
  const model = f.state?.thermalModel;
  if (model === undefined || model === null) return null;
  const num = (v: number | null, digits: number, unit: string) =>
    v === null
      ? m.unknown
      : `${new Intl.NumberFormat(locale.value, { maximumFractionDigits: digits }).format(v)}\u00a0${unit}`;
  const hours = (h: number | null) => (h === null ? m.unknown : fmt.duration(h * 3600));
  const pct = new Intl.NumberFormat(locale.value, { style: 'percent' }).format(model.confidence);
  const rows: Array<[string, string, string]> = [
    ['beerTauH', m.beerTau, hours(model.beerTauH)],
    ['chamberTauH', m.chamberTau, hours(model.chamberTauH)],
    ['coolingCPerH', m.cooling, num(model.coolingCPerH, 1, `°C${m.perH}`)],
    ['heatingCPerH', m.heating(model.heaterWarms), num(model.heatingCPerH, 1, `°C${m.perH}`)],
    ['roomCouplingPerH', m.room, num(model.roomCouplingPerH, 3, m.perHPerC)],
    ['fermentationCPerH', m.fermentation, num(model.fermentationCPerH, 3, `°C${m.perH}`)],
    [
      'compressorDelayS',
      m.delay,
      // The bank always names its best pair; it means something once the chamber equation is known.
      model.coolingCPerH === null
        ? m.unknown
        : `${fmt.duration(model.compressorDelayS)} + ${fmt.duration(model.compressorLagS)}`,
    ],
    [
      'residualC',
      m.residual,
      `${num(model.residualC.beer, 4, '°C')}, ${num(model.residualC.chamber, 3, '°C')}`,
    ],
  ];
  return (
    <section aria-labelledby="model-title" class="panel" data-testid="thermal-model">
      <h2 id="model-title">{m.title}</h2>
      <p data-field="model-status">
        {model.converged
          ? m.converged(fmt.duration(model.learntH * 3600), pct)
          : m.learning(fmt.duration(model.learntH * 3600))}
      </p>
      <dl class="readings">
        {rows.map(([key, label, value]) => (
          <div key={key}>
            <dt>{label}</dt>
            <dd data-field={`model-${key}`}>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
