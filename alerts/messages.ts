// The words of a message, in the recipient's language: what happened, where, the readings, what to do,
// and the links. Short enough for a phone's notification.
import type { AlertKind, Facts, Severity } from './model.js';
import type { Purpose } from './store.js';

export type Lang = 'fr' | 'en';

interface Words {
  title: string;
  todo: string;
}

const WHAT: Record<AlertKind, Record<Lang, Words>> = {
  trip: {
    en: {
      title: 'Safety trip',
      todo: 'Outputs are off and latched. Check the fermenter, then clear the trip in the dashboard.',
    },
    fr: {
      title: 'Arrêt de sécurité',
      todo: 'Sorties coupées et verrouillées. Vérifiez la cuve, puis levez l’arrêt dans le tableau de bord.',
    },
  },
  alarm: {
    en: { title: 'Alarm', todo: 'Look at the fermenter and its incident.' },
    fr: { title: 'Alarme', todo: 'Regardez la cuve et son incident.' },
  },
  offline: {
    en: { title: 'Fermenter offline', todo: 'Check the power, the board and the network of the bridge.' },
    fr: { title: 'Cuve hors ligne', todo: 'Vérifiez l’alimentation, la carte et le réseau du pont.' },
  },
  'out-of-band': {
    en: {
      title: 'Beer off target',
      todo: 'Check the door, the compressor, the heater and the probe placement.',
    },
    fr: {
      title: 'Bière hors consigne',
      todo: 'Vérifiez la porte, le compresseur, le chauffage et la position de la sonde.',
    },
  },
  'board-reset': {
    en: {
      title: 'Board reset',
      todo: 'Check its power supply; outputs were switched off, the controller resumes by itself.',
    },
    fr: {
      title: 'Carte redémarrée',
      todo: 'Vérifiez son alimentation ; les sorties ont été coupées, la régulation reprend seule.',
    },
  },
  'board-failsafe': {
    en: {
      title: 'Board failsafe',
      todo: 'The board lost the bridge and switched its outputs off: check the USB cable and the bridge.',
    },
    fr: {
      title: 'Sécurité de la carte',
      todo: 'La carte a perdu le pont et coupé ses sorties : vérifiez le câble USB et le pont.',
    },
  },
  'board-modified': {
    en: {
      title: 'Modified board started',
      todo: 'It is not the reference design: check its wiring and ratings (docs/boards.md).',
    },
    fr: {
      title: 'Carte modifiée démarrée',
      todo: 'Ce n’est pas la carte de référence : vérifiez son câblage et ses calibres (docs/boards.md).',
    },
  },
  'fermentation-done': {
    en: {
      title: 'Gravity stable',
      todo: 'Fermentation looks done: plan the next step (rest, crash, packaging).',
    },
    fr: {
      title: 'Densité stable',
      todo: 'La fermentation semble finie : prévoyez la suite (repos, garde, conditionnement).',
    },
  },
  'fermentation-stuck': {
    en: {
      title: 'Fermentation stuck',
      todo: 'Gravity no longer drops far above the expected final gravity: rouse the yeast or warm up.',
    },
    fr: {
      title: 'Fermentation bloquée',
      todo: 'La densité ne baisse plus, loin de la densité finale attendue : remettez la levure en suspension ou réchauffez.',
    },
  },
  'hydrometer-silent': {
    en: { title: 'Hydrometer silent', todo: 'Check its battery and its Wi-Fi.' },
    fr: { title: 'Densimètre muet', todo: 'Vérifiez sa batterie et son Wi-Fi.' },
  },
  'battery-low': {
    en: { title: 'Hydrometer battery low', todo: 'Charge it at the next opportunity.' },
    fr: { title: 'Batterie du densimètre faible', todo: 'Rechargez-la à la prochaine occasion.' },
  },
  'history-failing': {
    en: {
      title: 'History cannot be written',
      todo: 'Readings wait on disk: free disk space or release the database lock.',
    },
    fr: {
      title: 'Historique non enregistré',
      todo: 'Les mesures attendent sur disque : libérez de la place ou le verrou de la base.',
    },
  },
  'mirror-failing': {
    en: { title: 'InfluxDB mirror down', todo: 'Readings are queued on disk: check the InfluxDB server.' },
    fr: {
      title: 'Miroir InfluxDB en panne',
      todo: 'Les mesures attendent sur disque : vérifiez le serveur InfluxDB.',
    },
  },
  'disk-full': {
    en: { title: 'Disk nearly full', todo: 'Free space in the data directory before history stops.' },
    fr: {
      title: 'Disque presque plein',
      todo: 'Libérez de la place dans le dossier de données avant que l’historique s’arrête.',
    },
  },
  'backup-failing': {
    en: { title: 'Backups failing', todo: 'Check the backup destination and its free space.' },
    fr: { title: 'Sauvegardes en échec', todo: 'Vérifiez la destination des sauvegardes et sa place libre.' },
  },
  'channel-failing': {
    en: { title: 'Alert channel failing', todo: 'Check the address on the alerts page of the dashboard.' },
    fr: {
      title: 'Canal d’alerte en panne',
      todo: 'Vérifiez l’adresse sur la page des alertes du tableau de bord.',
    },
  },
  test: {
    en: { title: 'Test alert', todo: 'Nothing to do: this channel works.' },
    fr: { title: 'Alerte de test', todo: 'Rien à faire : ce canal fonctionne.' },
  },
};

const LABELS = {
  en: {
    resolved: 'Resolved',
    escalated: 'Unacknowledged',
    beer: 'beer',
    target: 'target',
    chamber: 'chamber',
    gravity: 'gravity',
    battery: 'battery',
    space: 'the space',
    ack: 'Acknowledge',
    open: 'Open',
  },
  fr: {
    resolved: 'Résolu',
    escalated: 'Non acquitté',
    beer: 'bière',
    target: 'consigne',
    chamber: 'enceinte',
    gravity: 'densité',
    battery: 'batterie',
    space: 'l’espace',
    ack: 'Acquitter',
    open: 'Ouvrir',
  },
} as const;

export interface RenderInput {
  kind: AlertKind;
  severity: Severity;
  fermenterId: string | null;
  facts: Facts;
  purpose: Purpose;
  lang: Lang;
}

export function render(a: RenderInput): { title: string; text: string } {
  const w = WHAT[a.kind][a.lang];
  const l = LABELS[a.lang];
  const where = a.fermenterId === null ? l.space : (a.facts.fermenterName ?? a.fermenterId);
  const prefix =
    a.purpose === 'resolve' ? `${l.resolved}: ` : a.purpose === 'escalate' ? `${l.escalated}: ` : '';
  const title = `${prefix}${w.title} – ${where}`;
  const f = a.facts;
  const n = (v: number | null | undefined, digits: number, unit: string) =>
    v === null || v === undefined
      ? null
      : `${v.toFixed(digits).replace('.', a.lang === 'fr' ? ',' : '.')}${unit}`;
  const readings = [
    n(f.beerC, 1, ' °C') === null ? null : `${l.beer} ${n(f.beerC, 1, ' °C')}`,
    n(f.beerSetpointC, 1, ' °C') === null ? null : `${l.target} ${n(f.beerSetpointC, 1, ' °C')}`,
    n(f.chamberC, 1, ' °C') === null ? null : `${l.chamber} ${n(f.chamberC, 1, ' °C')}`,
    n(f.gravity, 3, '') === null ? null : `${l.gravity} ${n(f.gravity, 3, '')}`,
    a.kind === 'battery-low' && n(f.batteryV, 2, ' V') !== null
      ? `${l.battery} ${n(f.batteryV, 2, ' V')}`
      : null,
  ].filter((x) => x !== null);
  const lines = [
    [f.code, f.detail].filter((x) => x !== undefined && x !== '').join(' – '),
    readings.join(', '),
    a.purpose === 'resolve' ? '' : w.todo,
  ].filter((x) => x !== '');
  return { title, text: lines.join('\n') };
}

export const ackLabel = (lang: Lang) => LABELS[lang].ack;
export const openLabel = (lang: Lang) => LABELS[lang].open;
