// Compiled limits (protocol §5). CFG may only tighten them. The max on-times are the host guard's defaults
// (firmware-bridge/config-schema.ts: heat 4 h, cool 24 h), so with a default configuration the guard always
// acts first and the board only when the host is gone or wrong; tests/firmware-bridge/firmware checks they
// stay equal.
#ifndef COBREW_LIMITS_H
#define COBREW_LIMITS_H

#define HB_TIMEOUT_S 10UL
#define MAX_ON_HEAT_S 14400UL
#define MAX_ON_COOL_S 86400UL

// Compressor protection, enforced whatever the host asks (protocol §5): the cooling output stays off this
// long after it went off and after boot (restarting against head pressure stalls the motor, and its
// locked-rotor current welds relay contacts), once on it runs this long, and heat and cool wait this long
// after the other one ran. The host's configuration may not go below them (boards/rating.ts, the same
// figures). The test build scales them down so that emulated runs stay short (Makefile).
#ifndef MIN_OFF_COOL_S
#define MIN_OFF_COOL_S 300UL
#endif
#ifndef MIN_ON_COOL_S
#define MIN_ON_COOL_S 60UL
#endif
#ifndef DEAD_S
#define DEAD_S 300UL
#endif

// Any probe above this cuts the heat and refuses it until every probe reads at most this again: a last
// line of protection of its own, above the host guard's default cut-off (overTempC 40 °C) so the guard
// acts first.
#define OVERTEMP_MILLI 50000L

#endif
