// Why the board last reset, captured before main() clears the flags.
#ifndef COBREW_RESET_H
#define COBREW_RESET_H
#include <stdint.h>

/** power-on, watchdog, brown-out, external or unknown (protocol §4). */
const char *reset_cause(void);

/**
 * The brown-out detector's level from the extended fuse, in mV (4300, 2700, 1800; 0 when disabled).
 * Below 4.3 V a sagging 5 V supply (a relay or compressor starting on a weak USB port) can corrupt the
 * MCU's state before it resets; the host warns about it. The test build reads the fuse byte the harness
 * writes at the EEPROM's last address.
 */
uint16_t brown_out_mv(void);

#endif
