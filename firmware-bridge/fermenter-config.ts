import { FermenterSchema } from './config-schema.js';
import { schemaChecker } from './schema-check.js';

/** Validate one fermenter's settings and fill every default from the schema. */
export const checkFermenterConfig = schemaChecker(FermenterSchema, 'Fermenter configuration');
