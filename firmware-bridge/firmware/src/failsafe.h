// The board's own failsafe, independent of the host (docs/board-protocol.md §5): outputs off until an OUT is
// accepted, off when the heartbeat stops, never heat and cool together, and a maximum on-time per output.
// Pure logic on a millisecond clock passed in; outputs.c writes the pins from `on`.
#ifndef COBREW_FAILSAFE_H
#define COBREW_FAILSAFE_H
#include <stdbool.h>
#include <stdint.h>

enum { OUT_HEAT = 0, OUT_COOL = 1 };

// ST flags (protocol §4).
#define FLAG_HB_TIMEOUT 0x01
#define FLAG_MAXON_HEAT 0x02
#define FLAG_MAXON_COOL 0x04
#define FLAG_BOOT 0x08

typedef struct {
  uint32_t hb_timeout_s;
  uint32_t max_on_s[2];
} limits_t;

typedef enum { OUT_ACCEPTED, OUT_INTERLOCK, OUT_MAXON } out_result_t;

typedef struct {
  limits_t limits;
  bool on[2];
  uint32_t on_since[2];
  uint8_t flags;
  bool hb_armed;
  uint32_t hb_refreshed;
  /** The heartbeat timeout in force since the last refresh (a CFG applies from the next refresh). */
  uint32_t hb_span_ms;
} failsafe_t;

void fs_init(failsafe_t *fs, const limits_t *compiled);
/** A well-formed HB or OUT arrived: the host is alive. */
void fs_refresh(failsafe_t *fs, uint32_t now);
/** OUT,<heat>,<cool>: refreshes the heartbeat, then applies or refuses as a whole. */
out_result_t fs_out(failsafe_t *fs, bool heat, bool cool, uint32_t now);
/** CFG: tightens the limits; false (nothing changes) when a value is below its minimum or above `compiled`. */
bool fs_configure(failsafe_t *fs, const limits_t *wanted, const limits_t *compiled);
/** Time passes: returns the flags newly raised now (each one is reported once with FS). */
uint8_t fs_tick(failsafe_t *fs, uint32_t now);

#endif
