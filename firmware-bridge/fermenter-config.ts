import { schemaChecker } from '../common/schema-check.js';
import { FermenterSchema } from './config-schema.js';

/** Validate one fermenter's settings and fill every default from the schema. */
export const checkFermenterConfig = schemaChecker(FermenterSchema, 'Fermenter configuration');
