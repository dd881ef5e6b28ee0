// The check of a history spool line, apart from the spool: TypeBox and Ajv cost the history worker several
// MB of its own heap, so it loads this only when there is a spool to read back.
import { Type as T } from '@sinclair/typebox';
import { IncidentSchema } from '../broker/incident-schema.js';
import { schemaChecker } from '../common/schema-check.js';
import type { IngestItem } from './ingest.js';

// The spool is cobrew's own file, but a line may be torn, damaged or edited: each is checked before use.
const checkItem = schemaChecker(
  T.Union([
    T.Object({
      kind: T.Literal('state'),
      reading: T.Object({
        fermenterId: T.String({ minLength: 1 }),
        at: T.Number(),
        fields: T.Record(T.String(), T.Number()),
      }),
      mode: T.String(),
      profileStep: T.Union([T.Number(), T.Null()]),
    }),
    T.Object({ kind: T.Literal('incident'), incident: IncidentSchema }),
  ]),
  'a history spool line',
);

/** A spool line's value as an item, or a COBREW_ERR_INVALID naming what is wrong. */
export const checkSpoolItem = (value: unknown): IngestItem => checkItem(value) as IngestItem;
