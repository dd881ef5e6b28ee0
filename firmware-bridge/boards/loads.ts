// What a fermenter's loads declare that departs from what the rating check assumes of a real board: a
// cooling output on mains is a compressor (a motor, whose start draws several times its running current)
// unless declared otherwise, and declaring it resistive skips that check, so it is shown for all to see.
import type { FermenterConfig } from '../config-schema.js';

export function loadDeviations(config: FermenterConfig): string[] {
  if (config.board.type === 'sim') return [];
  const cool = config.outputs.cool;
  if (!cool.enabled || cool.kind !== 'resistive') return [];
  return [
    'outputs.cool.kind: resistive (declared; a cooling output on mains is taken as a compressor): its starting current is not checked',
  ];
}
