// Compiled limits (protocol §5). CFG may only tighten them. The max on-times are the host guard's defaults
// (firmware-bridge/config-schema.ts: heat 4 h, cool 24 h), so with a default configuration the guard always
// acts first and the board only when the host is gone or wrong; tests/firmware-bridge/firmware checks they
// stay equal.
#ifndef COBREW_LIMITS_H
#define COBREW_LIMITS_H

#define HB_TIMEOUT_S 10UL
#define MAX_ON_HEAT_S 14400UL
#define MAX_ON_COOL_S 86400UL

#endif
