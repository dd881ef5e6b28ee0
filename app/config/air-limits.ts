// A fermenter's air limits that contradict one another: the guard would trip at once or refuse every
// reading, or the controller would have no air target it may ask for. Each is named with its fix.
import { GUARD_MARGIN_C } from '../../firmware-bridge/control/cascade.js';
import type { CobrewConfig } from './schema.js';

const PROBES = ['beer', 'chamber', 'ambient'] as const;

export function airLimitProblems(config: CobrewConfig): string[] {
  const problems: string[] = [];
  config.fermenters.forEach((f, i) => {
    const at = `  - fermenters[${i}]`;
    const { safety, control } = f;
    for (const p of PROBES) {
      if (safety[p].minC >= safety[p].maxC)
        problems.push(
          `${at}.safety.${p}.minC: ${safety[p].minC} is not allowed; it must be below safety.${p}.maxC (${safety[p].maxC})`,
        );
    }
    if (control.chamberMinC >= control.chamberMaxC)
      problems.push(
        `${at}.control.chamberMinC: ${control.chamberMinC} is not allowed; it must be below control.chamberMaxC (${control.chamberMaxC})`,
      );
    const coldest = safety.chamber.minC + GUARD_MARGIN_C;
    const warmest = Math.min(safety.chamber.maxC, safety.overTempC) - GUARD_MARGIN_C;
    if (coldest > warmest)
      problems.push(
        `${at}.safety.overTempC: ${safety.overTempC} is not allowed; the air is kept ${GUARD_MARGIN_C} °C inside ` +
          `safety.chamber (${safety.chamber.minC} to ${safety.chamber.maxC}) and below safety.overTempC, which leaves ` +
          'no air target: widen safety.chamber or raise safety.overTempC',
      );
  });
  return problems;
}
