// A board profile shared in the commons is a custom profile as cobrew.yaml declares it (board.custom): the
// reference it started from and the ratings of what is fitted. This checks a shared document against that
// schema, so that a space importing it gets exactly the rating checks its author had.
import { InvalidInputError, schemaChecker } from '../../common/schema-check.js';
import { CustomProfileSchema } from '../config-schema.js';

const check = schemaChecker(CustomProfileSchema, 'The board profile');

/** The document's problems, one line each; none when it is a custom profile. */
export function sharedProfileProblems(document: unknown): string[] {
  if (typeof document === 'object' && document !== null && 'fromCommons' in document) {
    return ['fromCommons: a shared profile declares its ratings itself, it does not point to another'];
  }
  try {
    check(structuredClone(document));
    return [];
  } catch (err) {
    if (!(err instanceof InvalidInputError)) throw err;
    return err.message
      .split('\n')
      .slice(1)
      .map((line) => line.replace(/^ {2}- /, ''));
  }
}
