#include "failsafe.h"

static const uint8_t MAXON_FLAG[2] = {FLAG_MAXON_HEAT, FLAG_MAXON_COOL};

void fs_init(failsafe_t *fs, const limits_t *compiled, const guard_times_t *times, uint32_t now) {
  fs->limits = *compiled;
  fs->times = *times;
  for (uint8_t i = 0; i < 2; i++) {
    fs->on[i] = false;
    fs->off_since[i] = now;  // a reset may have just stopped the compressor
    fs->ran[i] = false;
  }
  fs->hot = false;
  fs->flags = FLAG_BOOT;
  fs->hb_armed = false;  // armed by the first accepted OUT: nothing is on before that
  fs->hb_refreshed = 0;
  fs->hb_span_ms = compiled->hb_timeout_s * 1000UL;
}

void fs_refresh(failsafe_t *fs, uint32_t now) {
  fs->hb_refreshed = now;
  fs->hb_span_ms = fs->limits.hb_timeout_s * 1000UL;
}

static void switch_off(failsafe_t *fs, uint8_t i, uint32_t now) {
  if (!fs->on[i]) return;
  fs->on[i] = false;
  fs->off_since[i] = now;
}

/** Why the compressor timing refuses `want`; OUT_ACCEPTED when it allows it. */
static out_result_t timing(const failsafe_t *fs, const bool want[2], uint32_t now) {
  if (fs->on[OUT_COOL] && !want[OUT_COOL] && (uint32_t)(now - fs->on_since[OUT_COOL]) < fs->times.min_on_cool_ms)
    return OUT_MINON;
  if (want[OUT_COOL] && !fs->on[OUT_COOL] &&
      (uint32_t)(now - fs->off_since[OUT_COOL]) < fs->times.min_off_cool_ms)
    return OUT_MINOFF;
  for (uint8_t i = 0; i < 2; i++) {
    const uint8_t other = (uint8_t)(1 - i);
    if (want[i] && !fs->on[i] && fs->ran[other] &&
        (fs->on[other] || (uint32_t)(now - fs->off_since[other]) < fs->times.dead_ms))
      return OUT_DEADTIME;
  }
  return OUT_ACCEPTED;
}

out_result_t fs_out(failsafe_t *fs, bool heat, bool cool, uint32_t now) {
  fs_refresh(fs, now);
  if (heat && cool) return OUT_INTERLOCK;
  if ((heat && (fs->flags & FLAG_MAXON_HEAT)) || (cool && (fs->flags & FLAG_MAXON_COOL))) return OUT_MAXON;
  if (heat && (fs->flags & FLAG_OVERTEMP)) return OUT_OVERTEMP;
  const bool want[2] = {heat, cool};
  const out_result_t refused = timing(fs, want, now);
  if (refused != OUT_ACCEPTED) return refused;
  for (uint8_t i = 0; i < 2; i++) {
    // The on-time counts from the off→on switch; an OUT that keeps an output on does not restart it.
    if (want[i] && !fs->on[i]) {
      fs->on_since[i] = now;
      fs->ran[i] = true;
      fs->on[i] = true;
    }
    if (!want[i]) {
      switch_off(fs, i, now);
      fs->flags &= (uint8_t)~MAXON_FLAG[i];
    }
  }
  fs->flags &= (uint8_t)~(FLAG_BOOT | FLAG_HB_TIMEOUT);
  if (!heat && !fs->hot) fs->flags &= (uint8_t)~FLAG_OVERTEMP;
  fs->hb_armed = true;
  return OUT_ACCEPTED;
}

bool fs_configure(failsafe_t *fs, const limits_t *wanted, const limits_t *compiled) {
  if (wanted->hb_timeout_s < 2 || wanted->hb_timeout_s > compiled->hb_timeout_s) return false;
  for (uint8_t i = 0; i < 2; i++)
    if (wanted->max_on_s[i] < 1 || wanted->max_on_s[i] > compiled->max_on_s[i]) return false;
  fs->limits = *wanted;
  return true;
}

uint8_t fs_temperature(failsafe_t *fs, bool hot, uint32_t now) {
  fs->hot = hot;
  if (!hot) return 0;
  switch_off(fs, OUT_HEAT, now);
  if (fs->flags & FLAG_OVERTEMP) return 0;
  fs->flags |= FLAG_OVERTEMP;
  return FLAG_OVERTEMP;
}

uint8_t fs_tick(failsafe_t *fs, uint32_t now) {
  uint8_t raised = 0;
  if (fs->hb_armed && (uint32_t)(now - fs->hb_refreshed) >= fs->hb_span_ms) {
    switch_off(fs, OUT_HEAT, now);
    switch_off(fs, OUT_COOL, now);
    fs->hb_armed = false;
    raised |= FLAG_HB_TIMEOUT;
  }
  for (uint8_t i = 0; i < 2; i++) {
    if (fs->on[i] && (uint32_t)(now - fs->on_since[i]) >= fs->limits.max_on_s[i] * 1000UL) {
      switch_off(fs, i, now);
      raised |= MAXON_FLAG[i];
    }
  }
  fs->flags |= raised;
  return raised;
}
