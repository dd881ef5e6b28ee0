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
#define FLAG_OVERTEMP 0x10

typedef struct {
  uint32_t hb_timeout_s;
  uint32_t max_on_s[2];
} limits_t;

/** What the board does not let the host do to a compressor, in ms (limits.h). */
typedef struct {
  uint32_t min_off_cool_ms;
  uint32_t min_on_cool_ms;
  uint32_t dead_ms;
} guard_times_t;

typedef enum {
  OUT_ACCEPTED,
  OUT_INTERLOCK,
  OUT_MAXON,
  OUT_MINOFF,
  OUT_MINON,
  OUT_DEADTIME,
  OUT_OVERTEMP
} out_result_t;

typedef struct {
  limits_t limits;
  guard_times_t times;
  bool on[2];
  uint32_t on_since[2];
  /** When each output last went off (boot counts as off); whether it ran since boot. */
  uint32_t off_since[2];
  bool ran[2];
  /** The latest conversion found a probe above OVERTEMP_MILLI. */
  bool hot;
  uint8_t flags;
  bool hb_armed;
  uint32_t hb_refreshed;
  /** The heartbeat timeout in force since the last refresh (a CFG applies from the next refresh). */
  uint32_t hb_span_ms;
} failsafe_t;

void fs_init(failsafe_t *fs, const limits_t *compiled, const guard_times_t *times, uint32_t now);
/** A well-formed HB or OUT arrived: the host is alive. */
void fs_refresh(failsafe_t *fs, uint32_t now);
/**
 * OUT,<heat>,<cool>: refreshes the heartbeat, then applies or refuses as a whole. Refused: both on
 * (INTERLOCK), an output cut at its max on-time (MAXON), the cooling output inside its minimum off-time
 * (MINOFF) or switched off inside its minimum on-time (MINON), one output inside the dead time after the
 * other ran (DEADTIME).
 */
out_result_t fs_out(failsafe_t *fs, bool heat, bool cool, uint32_t now);
/** CFG: tightens the limits; false (nothing changes) when a value is below its minimum or above `compiled`. */
bool fs_configure(failsafe_t *fs, const limits_t *wanted, const limits_t *compiled);
/** Time passes: returns the flags newly raised now (each one is reported once with FS). */
uint8_t fs_tick(failsafe_t *fs, uint32_t now);
/**
 * A conversion ended: `hot` when a probe reads above the over-temperature limit. Hot cuts the heat and
 * sets FLAG_OVERTEMP (returned when newly set); heat is refused (OVERTEMP) until a conversion is cool
 * again and an OUT with heat 0 is accepted.
 */
uint8_t fs_temperature(failsafe_t *fs, bool hot, uint32_t now);

#endif
