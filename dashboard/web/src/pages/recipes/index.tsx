// The recipe commons in the dashboard: recipes, brew logs, contributors, the ledger, pot splits and hardware, with
// their own small navigation under the dashboard's header.
import './recipes.css';
import { BrewLogPage, BrewLogs } from './brewlog.js';
import { Browse } from './browse.js';
import { ContributorPage, Contributors } from './contributors.js';
import { HardwarePage } from './hardware.js';
import { rt } from './i18n.js';
import { Ledger } from './ledger.js';
import { PotSplitPage } from './pot-split.js';
import { RecipePage } from './recipe.js';
import { type CommonsRoute, commonsHref, parseCommons } from './routes.js';

const SECTIONS = [
  ['recipes', commonsHref.browse(), ['browse', 'recipe']],
  ['brewLogs', commonsHref.brewLogs(), ['brewlogs', 'brewlog']],
  ['contributors', commonsHref.contributors(), ['contributors', 'contributor']],
  ['ledger', commonsHref.ledger(), ['ledger']],
  ['potSplit', commonsHref.potSplit(), ['pot-split']],
  ['hardware', commonsHref.hardware(), ['hardware']],
] as const;

function View({ r }: { r: CommonsRoute }) {
  switch (r.view) {
    case 'browse':
      return <Browse />;
    case 'recipe':
      return <RecipePage id={r.id} number={r.number} />;
    case 'brewlogs':
      return <BrewLogs />;
    case 'brewlog':
      return <BrewLogPage id={r.id} />;
    case 'contributors':
      return <Contributors />;
    case 'contributor':
      return <ContributorPage name={r.name} />;
    case 'ledger':
      return <Ledger />;
    case 'pot-split':
      return <PotSplitPage recipeId={r.recipeId} />;
    case 'hardware':
      return <HardwarePage />;
  }
}

export function Commons({ parts }: { parts: string[] }) {
  const m = rt.value;
  const r = parseCommons(parts);
  return (
    <div class="commons">
      <nav class="commons-nav" aria-label={m.sections.label}>
        {SECTIONS.map(([key, link, views]) => (
          <a
            key={key}
            href={link}
            // The section's own list is the page; a recipe, log or person in it only belongs to the section.
            aria-current={
              views[0] === r.view
                ? 'page'
                : (views as readonly string[]).includes(r.view)
                  ? 'true'
                  : undefined
            }
          >
            {m.sections[key]}
          </a>
        ))}
      </nav>
      <View r={r} />
    </div>
  );
}
