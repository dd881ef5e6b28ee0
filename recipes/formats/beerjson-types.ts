// The parts of a BeerJSON 1.0 document that cobrew reads or writes by name. The schema in
// beerjson-schema/ stays the authority: these types only name what the code touches, and every document
// that reaches them has passed `validateBeerJson`. Other fields are carried through untouched.

/** A BeerJSON measurement: `{ "unit": "kg", "value": 4.5 }`. */
export interface Quantity<U extends string = string> {
  unit: U;
  value: number;
}

export interface Range<U extends string = string> {
  minimum: Quantity<U>;
  maximum: Quantity<U>;
}

export interface Timing {
  time?: Quantity;
  duration?: Quantity;
  continuous?: boolean;
  use?: 'add_to_mash' | 'add_to_boil' | 'add_to_fermentation' | 'add_to_package';
  step?: number;
  [key: string]: unknown;
}

export interface FermentableAddition {
  name: string;
  type: string;
  yield: {
    fine_grind?: Quantity;
    coarse_grind?: Quantity;
    fine_coarse_difference?: Quantity;
    potential?: Quantity;
  };
  color: Quantity;
  amount: Quantity;
  timing?: Timing;
  [key: string]: unknown;
}

export interface HopAddition {
  name: string;
  alpha_acid: Quantity;
  amount: Quantity;
  timing: Timing;
  form?: string;
  /**
   * The share of the alpha acids the brewer says a whirlpool addition isomerises (`%`): cobrew's own
   * member, which BeerJSON's hop additions allow (they take additional properties); read from Brewer's
   * Friend's UTILIZATION.
   */
  utilization?: Quantity;
  [key: string]: unknown;
}

export interface CultureAddition {
  name: string;
  type: string;
  form: string;
  amount?: Quantity;
  attenuation?: Quantity;
  [key: string]: unknown;
}

export interface MiscellaneousAddition {
  name: string;
  type: string;
  amount: Quantity;
  timing?: Timing;
  [key: string]: unknown;
}

export interface Ingredients {
  fermentable_additions: FermentableAddition[];
  hop_additions?: HopAddition[];
  miscellaneous_additions?: MiscellaneousAddition[];
  culture_additions?: CultureAddition[];
  water_additions?: Record<string, unknown>[];
}

export interface Recipe {
  name: string;
  type: string;
  author: string;
  batch_size: Quantity;
  efficiency: { brewhouse: Quantity; conversion?: Quantity; lauter?: Quantity; mash?: Quantity };
  ingredients: Ingredients;
  boil?: { boil_time: Quantity; pre_boil_size?: Quantity; [key: string]: unknown };
  original_gravity?: Quantity;
  final_gravity?: Quantity;
  alcohol_by_volume?: Quantity;
  ibu_estimate?: { method?: string; value?: Quantity };
  color_estimate?: Quantity;
  [key: string]: unknown;
}

export interface BeerJsonDocument {
  beerjson: {
    version: number;
    recipes?: Recipe[];
    [key: string]: unknown;
  };
}
