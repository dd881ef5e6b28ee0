// The 20 BeerJSON 1.0 schema files, vendored unchanged (MIT, see beerjson-schema/LICENSE), imported as
// modules so the build carries them and validation never depends on files outside the package.
import beer from './beerjson-schema/beer.json' with { type: 'json' };
import boil from './beerjson-schema/boil.json' with { type: 'json' };
import boilStep from './beerjson-schema/boil_step.json' with { type: 'json' };
import culture from './beerjson-schema/culture.json' with { type: 'json' };
import equipment from './beerjson-schema/equipment.json' with { type: 'json' };
import fermentable from './beerjson-schema/fermentable.json' with { type: 'json' };
import fermentation from './beerjson-schema/fermentation.json' with { type: 'json' };
import fermentationStep from './beerjson-schema/fermentation_step.json' with { type: 'json' };
import hop from './beerjson-schema/hop.json' with { type: 'json' };
import mash from './beerjson-schema/mash.json' with { type: 'json' };
import mashStep from './beerjson-schema/mash_step.json' with { type: 'json' };
import measureableUnits from './beerjson-schema/measureable_units.json' with { type: 'json' };
import misc from './beerjson-schema/misc.json' with { type: 'json' };
import packaging from './beerjson-schema/packaging.json' with { type: 'json' };
import packagingGraphic from './beerjson-schema/packaging_graphic.json' with { type: 'json' };
import packagingVessel from './beerjson-schema/packaging_vessel.json' with { type: 'json' };
import recipe from './beerjson-schema/recipe.json' with { type: 'json' };
import style from './beerjson-schema/style.json' with { type: 'json' };
import timing from './beerjson-schema/timing.json' with { type: 'json' };
import water from './beerjson-schema/water.json' with { type: 'json' };

/** `$id` of the root schema (beer.json); the others are reached through it by relative `$ref`. */
export const BEERJSON_ROOT_ID = beer.$id;

export const BEERJSON_SCHEMAS: readonly object[] = [
  beer,
  boil,
  boilStep,
  culture,
  equipment,
  fermentable,
  fermentation,
  fermentationStep,
  hop,
  mash,
  mashStep,
  measureableUnits,
  misc,
  packaging,
  packagingGraphic,
  packagingVessel,
  recipe,
  style,
  timing,
  water,
];
