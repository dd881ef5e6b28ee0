#include "failsafe.h"

static const uint8_t MAXON_FLAG[2] = {FLAG_MAXON_HEAT, FLAG_MAXON_COOL};

void fs_init(failsafe_t *fs, const limits_t *compiled) {
  fs->limits = *compiled;
  fs->on[OUT_HEAT] = fs->on[OUT_COOL] = false;
  fs->flags = FLAG_BOOT;
  fs->hb_armed = false;  // armed by the first accepted OUT: nothing is on before that
  fs->hb_refreshed = 0;
  fs->hb_span_ms = compiled->hb_timeout_s * 1000UL;
}

void fs_refresh(failsafe_t *fs, uint32_t now) {
  fs->hb_refreshed = now;
  fs->hb_span_ms = fs->limits.hb_timeout_s * 1000UL;
}

out_result_t fs_out(failsafe_t *fs, bool heat, bool cool, uint32_t now) {
  fs_refresh(fs, now);
  if (heat && cool) return OUT_INTERLOCK;
  if ((heat && (fs->flags & FLAG_MAXON_HEAT)) || (cool && (fs->flags & FLAG_MAXON_COOL))) return OUT_MAXON;
  const bool want[2] = {heat, cool};
  for (uint8_t i = 0; i < 2; i++) {
    // The on-time counts from the off→on switch; an OUT that keeps an output on does not restart it.
    if (want[i] && !fs->on[i]) fs->on_since[i] = now;
    fs->on[i] = want[i];
    if (!want[i]) fs->flags &= (uint8_t)~MAXON_FLAG[i];
  }
  fs->flags &= (uint8_t)~(FLAG_BOOT | FLAG_HB_TIMEOUT);
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

uint8_t fs_tick(failsafe_t *fs, uint32_t now) {
  uint8_t raised = 0;
  if (fs->hb_armed && (uint32_t)(now - fs->hb_refreshed) >= fs->hb_span_ms) {
    fs->on[OUT_HEAT] = fs->on[OUT_COOL] = false;
    fs->hb_armed = false;
    raised |= FLAG_HB_TIMEOUT;
  }
  for (uint8_t i = 0; i < 2; i++) {
    if (fs->on[i] && (uint32_t)(now - fs->on_since[i]) >= fs->limits.max_on_s[i] * 1000UL) {
      fs->on[i] = false;
      raised |= MAXON_FLAG[i];
    }
  }
  fs->flags |= raised;
  return raised;
}
