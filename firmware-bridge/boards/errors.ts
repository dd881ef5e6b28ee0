// Errors of board profiles; each names the rating and the fix.
import createError from '@fastify/error';

/** The configuration asks more of a board than its profile allows; nothing was started. */
export const BoardRatingError = createError<'COBREW_ERR_BOARD_RATING', [string]>(
  'COBREW_ERR_BOARD_RATING',
  'The board set-up is refused because it would overload the board:\n%s',
);

/** Boards configured in a way that cannot run, whatever their ratings. */
export const BoardSetupError = createError<'COBREW_ERR_BOARD_SETUP', [string]>(
  'COBREW_ERR_BOARD_SETUP',
  'The board set-up cannot run:\n%s',
);
