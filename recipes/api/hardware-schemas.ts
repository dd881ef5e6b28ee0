// JSON Schemas of hardware in the commons (board profiles, reference-board documents). Imported by the
// front-end for its types: nothing here needs Node.
import { Type as T } from '@sinclair/typebox';
import { HARDWARE_KINDS } from '../commons/hardware-kinds.js';

const Id = T.String({ minLength: 1, maxLength: 64 });
const Kind = T.Union(
  HARDWARE_KINDS.map((k) => T.Literal(k)),
  { description: 'board-profile (as board.custom in cobrew.yaml) or reference-board (a build document)' },
);
const Title = T.String({ minLength: 1, maxLength: 200, pattern: '\\S' });
const Document = T.Unknown({
  description:
    'A board profile: the ratings of what is fitted, as board.custom in cobrew.yaml (docs/boards.md). A reference ' +
    'board: {summary, text, links, boardProfile?}',
});

export const HardwareQuerySchema = T.Object({ kind: T.Optional(Kind) });
export const HardwareParamsSchema = T.Object({ id: Id });

export const NewHardwareSchema = T.Object(
  {
    kind: Kind,
    title: Title,
    document: Document,
    licence: T.Optional(
      T.String({ description: 'CERN-OHL-S-2.0 (default), CERN-OHL-W-2.0 or CERN-OHL-P-2.0' }),
    ),
    note: T.Optional(T.String({ maxLength: 20_000 })),
    derivedFrom: T.Optional(
      T.String({ minLength: 1, maxLength: 64, description: 'The hardware version it comes from' }),
    ),
  },
  { additionalProperties: false },
);

export const NewHardwareVersionSchema = T.Object(
  { title: Title, document: Document, note: T.String({ minLength: 1, maxLength: 20_000 }) },
  { additionalProperties: false },
);

const HardwareVersionSchema = T.Object({
  id: T.String(),
  hardwareId: T.String(),
  number: T.Integer(),
  parentId: T.Union([T.String(), T.Null()]),
  author: T.String(),
  createdAt: T.Integer(),
  title: T.String(),
  note: T.String(),
  sha256: T.String(),
  document: T.Unknown(),
});

export const HardwareSchema = T.Object({
  id: T.String(),
  kind: Kind,
  licence: T.String(),
  owner: T.String(),
  createdAt: T.Integer(),
  origin: T.Object({ name: T.String(), url: T.Union([T.String(), T.Null()]) }),
  local: T.Boolean(),
  title: T.String(),
  versions: T.Array(HardwareVersionSchema),
  authors: T.Array(T.String()),
  derivedFrom: T.Union([
    T.Object({ hardwareId: T.String(), versionId: T.String(), number: T.Integer(), title: T.String() }),
    T.Null(),
  ]),
});

export const HardwareListSchema = T.Object({ hardware: T.Array(HardwareSchema) });

export const HardwareLicenceListSchema = T.Object({
  licences: T.Array(
    T.Object({ id: T.String(), name: T.String(), url: T.String(), derived: T.Array(T.String()) }),
  ),
});
