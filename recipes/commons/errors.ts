// Typed errors of the recipe commons. Each names the problem and what to do; none leaves anything half
// written (every change is one SQLite transaction). The status code is the HTTP answer the API gives.
import createError from '@fastify/error';

export const RecipeNotFoundError = createError<'COBREW_ERR_RECIPE_NOT_FOUND', 404, [string]>(
  'COBREW_ERR_RECIPE_NOT_FOUND',
  'Recipe %s does not exist here or is private to its owner. List the recipes (GET /api/recipes) to find its id.',
  404,
);

export const VersionNotFoundError = createError<'COBREW_ERR_RECIPE_VERSION_NOT_FOUND', 404, [string]>(
  'COBREW_ERR_RECIPE_VERSION_NOT_FOUND',
  'Recipe version %s does not exist here or is private. GET /api/recipes/<id> lists the versions of a recipe.',
  404,
);

export const RecipeDocumentInvalidError = createError<'COBREW_ERR_RECIPE_DOCUMENT', 400, [string]>(
  'COBREW_ERR_RECIPE_DOCUMENT',
  'The recipe document cannot be stored: %s. Send one BeerJSON 1.0 document holding exactly one recipe.',
  400,
);

export const LicenceUnknownError = createError<'COBREW_ERR_LICENCE_UNKNOWN', 400, [string, string]>(
  'COBREW_ERR_LICENCE_UNKNOWN',
  'Licence %s is not one cobrew knows. Use one of %s.',
  400,
);

/** A fork may not take this licence because of its parent's; `allowed` lists what it may take. */
export class LicenceIncompatibleError extends createError<
  'COBREW_ERR_LICENCE_INCOMPATIBLE',
  400,
  [string, string, string, string]
>(
  'COBREW_ERR_LICENCE_INCOMPATIBLE',
  'A fork of a %s recipe cannot be licensed %s: %s Choose one of: %s.',
  400,
) {
  constructor(
    readonly parent: string,
    readonly child: string,
    readonly reason: string,
    readonly allowed: readonly string[],
  ) {
    super(parent, child, reason, allowed.join(', '));
  }
}

export const NotHomeSpaceError = createError<'COBREW_ERR_RECIPE_NOT_LOCAL', 409, [string, string]>(
  'COBREW_ERR_RECIPE_NOT_LOCAL',
  'Recipe %s comes from %s, and only its home space adds versions to it (that keeps its history one line). ' +
    'Fork it to change it here.',
  409,
);

export const VisibilityError = createError<'COBREW_ERR_VISIBILITY', 409, [string]>(
  'COBREW_ERR_VISIBILITY',
  '%s',
  409,
);

export const ForbiddenError = createError<'COBREW_ERR_FORBIDDEN', 403, [string]>(
  'COBREW_ERR_FORBIDDEN',
  '%s',
  403,
);

export const LoginRequiredError = createError<'COBREW_ERR_LOGIN_REQUIRED', 401, []>(
  'COBREW_ERR_LOGIN_REQUIRED',
  'This changes the commons: log in first (POST /api/auth/login).',
  401,
);

export const BrewLogNotFoundError = createError<'COBREW_ERR_BREWLOG_NOT_FOUND', 404, [string]>(
  'COBREW_ERR_BREWLOG_NOT_FOUND',
  'Brew log %s does not exist here or is private to its brewer. GET /api/brewlogs lists the ones you may see.',
  404,
);

export const ReadingNotFoundError = createError<'COBREW_ERR_READING_NOT_FOUND', 404, [string, string]>(
  'COBREW_ERR_READING_NOT_FOUND',
  'Brew log %s has no gravity reading %s. GET /api/brewlogs/<id> lists its readings.',
  404,
);

export const BrewLogInvalidError = createError<'COBREW_ERR_BREWLOG_INVALID', 400, [string]>(
  'COBREW_ERR_BREWLOG_INVALID',
  '%s',
  400,
);

export const BundleInvalidError = createError<'COBREW_ERR_BUNDLE_INVALID', 400, [string, string]>(
  'COBREW_ERR_BUNDLE_INVALID',
  '%s is not a cobrew commons bundle this version can read:\n%s\nNothing was imported. ' +
    'Export it again with `cobrew commons export`, or check that it was not cut short.',
  400,
);

export const BundleConflictError = createError<'COBREW_ERR_BUNDLE_CONFLICT', 409, [string, string]>(
  'COBREW_ERR_BUNDLE_CONFLICT',
  '%s disagrees with what this space holds: %s. Nothing was imported. ' +
    'Versions are immutable and share one id everywhere; ask the exporting space which copy is right.',
  409,
);

export const BundleSignatureError = createError<'COBREW_ERR_BUNDLE_SIGNATURE', 400, [string, string]>(
  'COBREW_ERR_BUNDLE_SIGNATURE',
  '%s is not signed by the space it names: %s. Nothing was imported. ' +
    'Ask that space for a bundle exported by `cobrew commons export` and not changed since.',
  400,
);

export const BundleOriginError = createError<'COBREW_ERR_BUNDLE_ORIGIN', 403, [string, string]>(
  'COBREW_ERR_BUNDLE_ORIGIN',
  '%s may not add this: %s. Nothing was imported. Only the space a recipe was made in adds versions to ' +
    "it; another space's recipes come from that space, or from one listed in commons.trustedSpaces.",
  403,
);

export const TrustedSpaceInvalidError = createError<'COBREW_ERR_TRUSTED_SPACE_INVALID', [string, string]>(
  'COBREW_ERR_TRUSTED_SPACE_INVALID',
  'commons.trustedSpaces: %s. Copy the id and publicKey that `cobrew commons identity` prints in that ' +
    'space (%s).',
);

export const SpaceKeyInvalidError = createError<'COBREW_ERR_SPACE_KEY_INVALID', [string, string]>(
  'COBREW_ERR_SPACE_KEY_INVALID',
  "%s is not this space's Ed25519 signing key (%s). Restore it from a backup; deleting it makes a new " +
    'key, and so a new space id that trusting spaces must list again.',
);

export const LedgerEventNotFoundError = createError<'COBREW_ERR_LEDGER_EVENT_NOT_FOUND', 404, [string]>(
  'COBREW_ERR_LEDGER_EVENT_NOT_FOUND',
  'Ledger event %s does not exist here or is about a private recipe. GET /api/ledger lists the events.',
  404,
);

export const LedgerConfirmError = createError<'COBREW_ERR_LEDGER_CONFIRM', 409, [string]>(
  'COBREW_ERR_LEDGER_CONFIRM',
  'This ledger event cannot be confirmed: %s.',
  409,
);

export const ChangeNoteMissingError = createError<'COBREW_ERR_CHANGE_NOTE_MISSING', 400, []>(
  'COBREW_ERR_CHANGE_NOTE_MISSING',
  'A new version needs a change note saying what changed (CC BY-SA 4.0 §3 asks adaptations to indicate ' +
    'their changes). Add a short `note`.',
  400,
);

export const RecipesDbTooNewError = createError<
  'COBREW_ERR_RECIPES_DB_TOO_NEW',
  500,
  [string, number, number]
>(
  'COBREW_ERR_RECIPES_DB_TOO_NEW',
  '%s was written by a newer cobrew (schema %s; this one reads up to %s). Upgrade cobrew to open it.',
  500,
);

export const FermenterBusyError = createError<
  'COBREW_ERR_FERMENTER_BUSY',
  409,
  [string, string, string, string]
>(
  'COBREW_ERR_FERMENTER_BUSY',
  'Fermenter %s holds batch "%s" (%s) of %s. End that batch first (POST /api/batches/<id>/end), or choose ' +
    'another fermenter.',
  409,
);

export const BatchNotFoundError = createError<'COBREW_ERR_BATCH_NOT_FOUND', 404, [string]>(
  'COBREW_ERR_BATCH_NOT_FOUND',
  'Batch %s does not exist here, is not a batch (a brew log without a fermenter) or is private to its ' +
    'brewers. GET /api/batches lists the ones you may see.',
  404,
);

export const BatchEndedError = createError<'COBREW_ERR_BATCH_ENDED', 409, [string]>(
  'COBREW_ERR_BATCH_ENDED',
  'Batch %s has already ended; its brew log is its record. Start a new batch to use the fermenter again.',
  409,
);

export const FermentationStepsError = createError<'COBREW_ERR_FERMENTATION_STEPS', 400, [string]>(
  'COBREW_ERR_FERMENTATION_STEPS',
  'The recipe version has no fermentation profile cobrew can run: %s. Add fermentation steps with a ' +
    'temperature and a step time to the recipe, or start the batch with steps of your own.',
  400,
);

export const NotYourBatchError = createError<
  'COBREW_ERR_NOT_YOUR_BATCH',
  403,
  [string, string, string, string]
>(
  'COBREW_ERR_NOT_YOUR_BATCH',
  'Fermenter %s holds batch "%s" of %s; only its owner, its co-brewers (%s) and admins may control it. ' +
    'You may still view it; ask its owner or an admin to add you as a co-brewer.',
  403,
);

export const BookingConflictError = createError<
  'COBREW_ERR_BOOKING_CONFLICT',
  409,
  [string, string, string, string, string, string]
>(
  'COBREW_ERR_BOOKING_CONFLICT',
  'Fermenter %s is booked from %s to %s for batch "%s" of %s (booking %s). Choose another period or ' +
    'fermenter (GET /api/bookings shows the calendar), or ask them to move theirs.',
  409,
);

export const BookingNotFoundError = createError<'COBREW_ERR_BOOKING_NOT_FOUND', 404, [string]>(
  'COBREW_ERR_BOOKING_NOT_FOUND',
  'Booking %s does not exist (or was cancelled). GET /api/bookings lists the calendar.',
  404,
);

export const BookingInvalidError = createError<'COBREW_ERR_BOOKING_INVALID', 400, [string]>(
  'COBREW_ERR_BOOKING_INVALID',
  '%s',
  400,
);

export const ProfileNotFoundError = createError<'COBREW_ERR_PROFILE_NOT_FOUND', 404, [string]>(
  'COBREW_ERR_PROFILE_NOT_FOUND',
  'Saved profile or profile version %s does not exist here. GET /api/profiles lists the saved profiles.',
  404,
);
