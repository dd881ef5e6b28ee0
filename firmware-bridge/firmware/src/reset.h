// Why the board last reset, captured before main() clears the flags.
#ifndef COBREW_RESET_H
#define COBREW_RESET_H

/** power-on, watchdog, brown-out, external or unknown (protocol §4). */
const char *reset_cause(void);

#endif
