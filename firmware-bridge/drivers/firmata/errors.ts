// Errors of the Firmata driver; each names the port and what to do.
import createError from '@fastify/error';

export const FirmataNoAnswerError = createError<'COBREW_ERR_FIRMATA_NO_ANSWER', [string, string, number]>(
  'COBREW_ERR_FIRMATA_NO_ANSWER',
  'No Firmata handshake (version, firmware, capabilities) from %s at %s baud within %s ms each. Check that ' +
    'this port is the board (`cobrew board list`), that it runs ConfigurableFirmata or StandardFirmata ' +
    '(ConfigurableFirmata 3.x runs at 115200, StandardFirmata and older sketches at 57600; leave ' +
    "`board.baudRate` out to try both, or set the rate in the sketch's `Firmata.begin(…)`), and that nothing " +
    'else uses the port.',
);

export const FirmataNoOneWireError = createError<'COBREW_ERR_FIRMATA_NO_ONEWIRE', [string, string, number]>(
  'COBREW_ERR_FIRMATA_NO_ONEWIRE',
  'The board on %s runs %s, which offers no OneWire on pin %s, so it cannot read DS18B20 probes. ' +
    'ConfigurableFirmata 3.x ships with OneWire disabled: in examples/ConfigurableFirmata/ConfigurableFirmata.ino, ' +
    'near the top, change the line `// #define ENABLE_ONE_WIRE` to `#define ENABLE_ONE_WIRE`, which compiles in ' +
    '`#include <OneWireFirmata.h>`, `OneWireFirmata oneWire;` and, in initFirmata(), ' +
    '`firmataExt.addFeature(oneWire);` (a sketch without that define needs these three lines uncommented); ' +
    'install the OneWire library (Arduino IDE: Tools, Manage Libraries, "OneWire"), then flash it again. ' +
    'StandardFirmata has no OneWire: flash ConfigurableFirmata. Or remove `pins.oneWire` to use the board ' +
    'for relays only.',
);

export const FirmataPinError = createError<'COBREW_ERR_FIRMATA_PIN', [string, number, string, string]>(
  'COBREW_ERR_FIRMATA_PIN',
  'The board on %s has no digital output on pin %s (asked for the %s output; the board offers %s). ' +
    'Set `pins.heat` and `pins.cool` to digital pins wired to the relays.',
);

export const FirmataSameOutputPinError = createError<'COBREW_ERR_FIRMATA_SAME_PIN', [number]>(
  'COBREW_ERR_FIRMATA_SAME_PIN',
  'Heat, cool and the OneWire bus must use different pins; pin %s is given twice. Fix `pins` in the board section.',
);
