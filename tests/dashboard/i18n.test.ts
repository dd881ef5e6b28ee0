import { describe, expect, it } from 'vitest';
import { formatsFor, pickLocale } from '../../dashboard/i18n.js';

describe('locale', () => {
  it('lets ?lang= win, then Accept-Language by weight, then English', () => {
    expect(pickLocale('fr', 'en-GB,en;q=0.9')).toBe('fr');
    expect(pickLocale('de', 'fr-CA,fr;q=0.9')).toBe('fr');
    expect(pickLocale(undefined, 'de-DE,de;q=0.9,fr;q=0.8,en;q=0.7')).toBe('fr');
    expect(pickLocale(undefined, 'en;q=0.5, fr;q=0.8')).toBe('fr');
    expect(pickLocale(undefined, 'fr;q=0, en')).toBe('en');
    expect(pickLocale(undefined, undefined)).toBe('en');
  });

  it('writes numbers the way each reader expects', () => {
    const fr = formatsFor('fr');
    const en = formatsFor('en');
    expect(fr.celsius(18.52)).toBe('18,5\u00a0°C');
    expect(en.celsius(18.52)).toBe('18.5\u00a0°C');
    expect(fr.gravity(1.0423)).toBe('1,042');
    expect(en.celsius(null)).toBe('—');
  });
});
