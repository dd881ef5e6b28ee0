// The dashboard's words in French and English, and numbers and dates written the way each reader expects.
import type { ControlMode, SafetyStatus } from '../firmware-bridge/types.js';

export const LOCALES = ['en', 'fr'] as const;
export type Locale = (typeof LOCALES)[number];

const en = {
  title: 'Fermenters',
  subtitle: 'Live status; refreshes every 2 seconds.',
  otherLanguage: 'Français',
  noFermenters: 'No fermenters are configured.',
  noData: 'No data yet',
  noDataHint: 'Waiting for the first state on MQTT.',
  readingAt: 'Reading at',
  beer: 'Beer',
  chamber: 'Chamber',
  ambient: 'Ambient',
  temperature: 'Temperature',
  setpoint: 'Setpoint',
  mode: 'Mode',
  outputs: 'Outputs',
  heat: 'Heat',
  cool: 'Cool',
  on: 'on',
  off: 'off',
  controller: 'Controller',
  trips: 'Trips',
  alarms: 'Alarms',
  gravity: 'Gravity',
  hydrometerBattery: 'Hydrometer battery',
  board: 'Board',
  boardModified: 'modified',
  boardModifiedHint: 'not the reference design',
  boardWarning: 'check the board',
  boardOffline: 'not connected',
  connectionLost: 'Connection to cobrew lost; retrying…',
  brokerEmbedded: 'MQTT: embedded broker',
  brokerExternal: 'MQTT: external broker',
  brokerMosquitto: 'MQTT: Mosquitto run by cobrew',
  modes: { off: 'Off', beer: 'Beer temperature', chamber: 'Chamber temperature', profile: 'Profile' },
  safetyStatus: { ok: 'OK', alarm: 'Alarm: please check', tripped: 'Tripped: outputs held safe' },
} satisfies Record<string, unknown> & {
  modes: Record<ControlMode, string>;
  safetyStatus: Record<SafetyStatus['status'], string>;
};
export type Messages = typeof en;

const fr: Messages = {
  title: 'Fermenteurs',
  subtitle: 'État en direct, actualisé toutes les 2 secondes.',
  otherLanguage: 'English',
  noFermenters: 'Aucun fermenteur n’est configuré.',
  noData: 'Pas encore de données',
  noDataHint: 'En attente du premier état sur MQTT.',
  readingAt: 'Mesure du',
  beer: 'Bière',
  chamber: 'Enceinte',
  ambient: 'Ambiante',
  temperature: 'Température',
  setpoint: 'Consigne',
  mode: 'Mode',
  outputs: 'Sorties',
  heat: 'Chauffage',
  cool: 'Froid',
  on: 'marche',
  off: 'arrêt',
  controller: 'Régulateur',
  trips: 'Déclenchements',
  alarms: 'Alarmes',
  gravity: 'Densité',
  hydrometerBattery: 'Batterie du densimètre',
  board: 'Carte',
  boardModified: 'modifiée',
  boardModifiedHint: 'pas la conception de référence',
  boardWarning: 'carte à vérifier',
  boardOffline: 'non connectée',
  connectionLost: 'Connexion à cobrew perdue ; nouvelle tentative…',
  brokerEmbedded: 'MQTT : broker intégré',
  brokerExternal: 'MQTT : broker externe',
  brokerMosquitto: 'MQTT : Mosquitto lancé par cobrew',
  modes: {
    off: 'Arrêt',
    beer: 'Température de la bière',
    chamber: 'Température de l’enceinte',
    profile: 'Profil',
  },
  safetyStatus: {
    ok: 'OK',
    alarm: 'Alarme : à vérifier',
    tripped: 'Déclenchée : sorties maintenues en sécurité',
  },
};

export const MESSAGES: Record<Locale, Messages> = { en, fr };

function isLocale(v: unknown): v is Locale {
  return typeof v === 'string' && (LOCALES as readonly string[]).includes(v);
}

/** `?lang=` wins; then the reader's Accept-Language preferences in order of weight; English otherwise. */
export function pickLocale(query: unknown, acceptLanguage: string | undefined): Locale {
  if (isLocale(query)) return query;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { lang: tag.trim().toLowerCase().split('-')[0], weight: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((r) => Number.isFinite(r.weight) && r.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  return ranked.map((r) => r.lang).find(isLocale) ?? 'en';
}

export interface Formats {
  celsius(v: number | null): string;
  gravity(v: number | null): string;
  volts(v: number): string;
  dateTime(epochMs: number): string;
}

export function formatsFor(locale: Locale): Formats {
  const oneDecimal = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const twoDecimals = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const threeDecimals = new Intl.NumberFormat(locale, { minimumFractionDigits: 3, maximumFractionDigits: 3 });
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' });
  return {
    celsius: (v) => (v === null ? '—' : `${oneDecimal.format(v)}\u00a0°C`),
    gravity: (v) => (v === null ? '—' : threeDecimals.format(v)),
    volts: (v) => `${twoDecimals.format(v)}\u00a0V`,
    dateTime: (ms) => dateTime.format(ms),
  };
}
