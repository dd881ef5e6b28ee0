// Errors of the BrewPi legacy driver; each names the port and what to do.
import createError from '@fastify/error';

export const BrewPiNoAnswerError = createError<
  'COBREW_ERR_BREWPI_NO_ANSWER',
  [string, string, number, number]
>(
  'COBREW_ERR_BREWPI_NO_ANSWER',
  'No answer from a BrewPi board on %s to `%s` at %s baud within %s ms. Check that this port is the board ' +
    '(`cobrew board list`), that it runs BrewPi firmware 0.2.x, and that brewpi-script (or anything else) ' +
    'no longer uses the port.',
);

export const BrewPiUnitsError = createError<'COBREW_ERR_BREWPI_FAHRENHEIT', [string]>(
  'COBREW_ERR_BREWPI_FAHRENHEIT',
  'The BrewPi board on %s works in °F; cobrew works in °C. Switch the board to Celsius (BrewPi web ' +
    'interface: Advanced settings, temperature format C; or send `j{tempFormat:C}`), then start cobrew again.',
);
