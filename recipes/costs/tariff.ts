// The `tariff:` section of cobrew.yaml: what a kWh costs, one price all day or a cheaper off-peak price
// during listed hours (in the space's own time zone). Batches' energy is priced with it.
import { type Static, Type as T } from '@sinclair/typebox';

const Hhmm = (description: string) =>
  T.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', description: `${description}, HH:MM (24 h)` });

const Price = (description: string, def?: number) =>
  T.Number({ minimum: 0, maximum: 100, description, ...(def === undefined ? {} : { default: def }) });

export const OffPeakSchema = T.Object(
  {
    pricePerKWh: Price('Price of a kWh during the off-peak hours'),
    hours: T.Array(
      T.Object(
        { from: Hhmm('Start of an off-peak period'), to: Hhmm('End (a period may run past midnight)') },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 12, description: 'The off-peak periods of each day, e.g. 22:00 to 06:00' },
    ),
  },
  { additionalProperties: false },
);

export const TariffSchema = T.Object(
  {
    currency: T.String({
      default: 'EUR',
      pattern: '^[A-Z]{3}$',
      description: 'ISO 4217 code the prices and consumables are in, e.g. EUR, CHF, CAD',
    }),
    pricePerKWh: Price('Price of a kWh; with offPeak, the price outside its hours (peak)', 0.25),
    timeZone: T.String({
      default: 'UTC',
      minLength: 1,
      maxLength: 64,
      description: 'IANA time zone the off-peak hours are in, e.g. Europe/Paris',
    }),
    offPeak: T.Optional(OffPeakSchema),
  },
  {
    additionalProperties: false,
    default: {},
    description: "Electricity price, to work out each batch's energy cost (one price, or peak and off-peak)",
  },
);
export type Tariff = Static<typeof TariffSchema>;

/** What is wrong with a tariff the schema accepts: an unknown time zone, an empty period. */
export function tariffProblems(tariff: Tariff, key = 'tariff'): string[] {
  const problems: string[] = [];
  try {
    // UTC, the default, needs no look-up: Intl would load ICU's time-zone data, 5 MB resident, into every
    // process that reads cobrew.yaml, a bridge too, whose tariff is never used.
    if (tariff.timeZone !== 'UTC') new Intl.DateTimeFormat('en-US', { timeZone: tariff.timeZone });
  } catch {
    problems.push(
      `  - ${key}.timeZone: ${JSON.stringify(tariff.timeZone)} is not a time zone; use an IANA name, e.g. Europe/Paris`,
    );
  }
  tariff.offPeak?.hours.forEach((h, i) => {
    if (h.from === h.to) {
      problems.push(
        `  - ${key}.offPeak.hours[${i}]: from and to are both ${h.from}; give a period, e.g. 22:00 to 06:00`,
      );
    }
  });
  return problems;
}
