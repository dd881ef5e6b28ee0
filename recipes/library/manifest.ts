// The living library: recipes written for cobrew, CC-BY-SA-4.0, with the history a new space should see
// from its first start: a pale ale revised once, an IPA forked from it and a session IPA forked from that.
// Ids and dates are fixed so that loading is idempotent in every space and bundles recognise the recipes.
import { LIBRARY_SPACE_ID } from '../commons/origin.js';
import ipa from './ipa.json' with { type: 'json' };
import paleAle1 from './pale-ale-1.json' with { type: 'json' };
import paleAle2 from './pale-ale-2.json' with { type: 'json' };
import saison from './saison.json' with { type: 'json' };
import sessionIpa from './session-ipa.json' with { type: 'json' };
import stout from './stout.json' with { type: 'json' };

export interface LibraryVersion {
  id: string;
  document: unknown;
  createdAt: string;
  note: string;
}

export interface LibraryRecipe {
  id: string;
  /** For a fork: the library version it was made from. */
  forkOf: string | null;
  versions: LibraryVersion[];
}

export const LIBRARY_AUTHOR = 'cobrew';
export const LIBRARY_LICENCE = 'CC-BY-SA-4.0';
export const LIBRARY_ORIGIN = { id: LIBRARY_SPACE_ID, name: 'cobrew library', url: null };

const PALE_ALE_2 = '6a3fe55b-890c-4103-9c62-c9b898fecb68';
const IPA_1 = '4d7c971c-c271-4512-8a24-07d58dae3af5';

export const LIBRARY: readonly LibraryRecipe[] = [
  {
    id: '9f67588b-d027-419b-ae0a-910095b96ba4',
    forkOf: null,
    versions: [
      {
        id: '45ebb1e2-35aa-4b44-809b-15fc2d2b9b58',
        document: paleAle1,
        createdAt: '2026-01-10T10:00:00Z',
        note: 'First version: pale malt, a little crystal, Cascade at 60 and 10 minutes.',
      },
      {
        id: PALE_ALE_2,
        document: paleAle2,
        createdAt: '2026-02-14T10:00:00Z',
        note: 'Less crystal (300 g to 200 g) for a drier finish; bittering hops down, a flame-out and a dry-hop addition of Cascade for aroma.',
      },
    ],
  },
  {
    id: 'bf527566-ac14-4c09-b66d-08f791614e8b',
    forkOf: null,
    versions: [
      {
        id: 'e20d3fe8-dc7c-45b2-97c8-fc7479f63250',
        document: saison,
        createdAt: '2026-01-17T10:00:00Z',
        note: 'First version: a dry saison with cane sugar and a free-rise fermentation.',
      },
    ],
  },
  {
    id: '0427254b-35dd-467e-aeb1-08b87f1fd361',
    forkOf: null,
    versions: [
      {
        id: '8dad5d3d-5caf-4b4b-9f53-123c3570ca6e',
        document: stout,
        createdAt: '2026-01-24T10:00:00Z',
        note: 'First version: a low-strength dry stout with roasted barley and flaked barley.',
      },
    ],
  },
  {
    id: 'e1a585ff-f531-43db-82fe-1d5acf30f9a0',
    forkOf: PALE_ALE_2,
    versions: [
      {
        id: IPA_1,
        document: ipa,
        createdAt: '2026-03-07T10:00:00Z',
        note: 'Forked from the pale ale: pale malt up to 5.4 kg, Centennial added, double dry hop on day 4.',
      },
    ],
  },
  {
    id: 'c6658bdc-fd95-4dd9-8dfa-d2338380e778',
    forkOf: IPA_1,
    versions: [
      {
        id: 'c7a37601-4438-4b3d-9058-83420dc48ca6',
        document: sessionIpa,
        createdAt: '2026-04-04T10:00:00Z',
        note: 'Forked from the IPA: pale malt down to 3.4 kg with Carapils and a hotter mash for body at 4 %; late hops unchanged.',
      },
    ],
  },
];
