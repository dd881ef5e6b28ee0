// cobrew reference firmware: the board side of the cobrew line protocol v1 (docs/board-protocol.md).
#include <avr/interrupt.h>
#include <avr/sleep.h>
#include <avr/wdt.h>
#include <stdlib.h>
#include <string.h>
#include "clock.h"
#include "failsafe.h"
#include "frame.h"
#include "limits.h"
#include "outputs.h"
#include "reset.h"
#include "sensors.h"
#include "uart.h"

#ifndef FW_VERSION
#error "FW_VERSION comes from the VERSION file through the Makefile"
#endif
#ifndef BOARD_PROFILE
#error "BOARD_PROFILE comes from the Makefile"
#endif

#define STATUS_MS 1000

static const limits_t COMPILED = {HB_TIMEOUT_S, {MAX_ON_HEAT_S, MAX_ON_COOL_S}};
static const guard_times_t TIMES = {MIN_OFF_COOL_S * 1000UL, MIN_ON_COOL_S * 1000UL, DEAD_S * 1000UL};
static failsafe_t fs;
static line_rx_t rx;
static uint16_t malformed;

static void send_hello(void) {
  frame_begin("HELLO");
  frame_str("1");
  frame_str("cobrew-ref");
  frame_str(FW_VERSION);
  frame_str(BOARD_PROFILE);
  frame_str(reset_cause());
  frame_u32(fs.limits.hb_timeout_s);
  frame_u32(fs.limits.max_on_s[OUT_HEAT]);
  frame_u32(fs.limits.max_on_s[OUT_COOL]);
  // Protocol 1 allows trailing fields: the compressor protection the board enforces (§5).
  frame_u32(MIN_OFF_COOL_S);
  frame_u32(MIN_ON_COOL_S);
  frame_u32(DEAD_S);
  frame_u32(brown_out_mv());
  frame_send();
}

static void send_ack(uint8_t seq) {
  frame_begin("ACK");
  frame_u32(seq);
}

static void send_nak(uint8_t seq, const char *reason) {
  frame_begin("NAK");
  frame_u32(seq);
  frame_str(reason);
  frame_send();
}

static void send_fs(const char *reason) {
  frame_begin("FS");
  frame_str(reason);
  frame_send();
}

static void send_status(void) {
  static const char digits[] = "0123456789ABCDEF";
  char flags[3] = {digits[fs.flags >> 4], digits[fs.flags & 0x0F], 0};
  frame_begin("ST");
  frame_u32(fs.on[OUT_HEAT]);
  frame_u32(fs.on[OUT_COOL]);
  frame_str(flags);
  frame_send();
}

/** Writes the failsafe's decision to the pins; the interlock's last check may overrule it. */
static void apply_outputs(void) {
  if (!outputs_write(fs.on[OUT_HEAT], fs.on[OUT_COOL])) {
    fs.on[OUT_HEAT] = fs.on[OUT_COOL] = false;
    send_fs("INTERLOCK");
  }
}

/** A decimal without leading zeros (§2); saturates far above any limit instead of overflowing. */
static bool parse_uint(const char *s, uint32_t *out) {
  if (s[0] == '\0' || (s[0] == '0' && s[1] != '\0')) return false;
  uint32_t v = 0;
  for (; *s; s++) {
    if (*s < '0' || *s > '9') return false;
    v = v > 100000000UL ? 1000000000UL : v * 10 + (uint32_t)(*s - '0');
  }
  *out = v;
  return true;
}

static bool parse_bit(const char *s, bool *out) {
  if ((s[0] != '0' && s[0] != '1') || s[1] != '\0') return false;
  *out = s[0] == '1';
  return true;
}

static void on_out(const frame_t *f, uint32_t now) {
  bool heat, cool;
  if (f->nfields < 2 || !parse_bit(f->field[0], &heat) || !parse_bit(f->field[1], &cool)) {
    fs_refresh(&fs, now);  // well-formed: the host is alive, even if the values are wrong
    send_nak(f->seq, "BADARG");
    return;
  }
  switch (fs_out(&fs, heat, cool, now)) {
    case OUT_INTERLOCK:
      send_nak(f->seq, "INTERLOCK");
      return;
    case OUT_MAXON:
      send_nak(f->seq, "MAXON");
      return;
    case OUT_MINOFF:
      send_nak(f->seq, "MINOFF");
      return;
    case OUT_MINON:
      send_nak(f->seq, "MINON");
      return;
    case OUT_DEADTIME:
      send_nak(f->seq, "DEADTIME");
      return;
    case OUT_OVERTEMP:
      send_nak(f->seq, "OVERTEMP");
      return;
    case OUT_ACCEPTED:
      apply_outputs();
      send_ack(f->seq);
      frame_u32(fs.on[OUT_HEAT]);
      frame_u32(fs.on[OUT_COOL]);
      frame_send();
      return;
  }
}

static void on_cfg(const frame_t *f) {
  limits_t wanted;
  if (f->nfields < 3 || !parse_uint(f->field[0], &wanted.hb_timeout_s) ||
      !parse_uint(f->field[1], &wanted.max_on_s[OUT_HEAT]) ||
      !parse_uint(f->field[2], &wanted.max_on_s[OUT_COOL])) {
    send_nak(f->seq, "BADARG");
    return;
  }
  if (!fs_configure(&fs, &wanted, &COMPILED)) {
    send_nak(f->seq, "LIMIT");
    return;
  }
  send_ack(f->seq);
  frame_u32(fs.limits.hb_timeout_s);
  frame_u32(fs.limits.max_on_s[OUT_HEAT]);
  frame_u32(fs.limits.max_on_s[OUT_COOL]);
  frame_send();
}

static void on_scan(const frame_t *f) {
  send_ack(f->seq);
  frame_send();
  uint8_t n = sensors_scan();
  for (uint8_t i = 0; i < n; i++) {
    frame_begin("SENSOR");
    frame_hex(sensors_rom(i), 8);
    frame_send();
  }
  frame_begin("SCANEND");
  frame_u32(n);
  frame_send();
}

static void handle(const frame_t *f, uint32_t now) {
  if (strcmp(f->type, "HELLO?") == 0) {
    send_hello();
  } else if (strcmp(f->type, "HB") == 0) {
    fs_refresh(&fs, now);
    send_ack(f->seq);
    frame_send();
  } else if (strcmp(f->type, "OUT") == 0) {
    on_out(f, now);
  } else if (strcmp(f->type, "CFG") == 0) {
    on_cfg(f);
  } else if (strcmp(f->type, "SCAN") == 0) {
    on_scan(f);
#ifdef COBREW_TEST_BUILD
  } else if (strcmp(f->type, "HANG") == 0) {
    // Test build only: a hung loop, to prove the watchdog resets the board.
    send_ack(f->seq);
    frame_send();
    for (;;) {
    }
#endif
  } else {
    send_nak(f->seq, "UNKNOWN");
  }
}

/** Whether any probe that answered reads above the board's own over-temperature limit. */
static bool too_hot(const int32_t milli[]) {
  for (uint8_t i = 0; i < sensors_count(); i++)
    if (milli[i] != SENSOR_ERR && milli[i] > OVERTEMP_MILLI) return true;
  return false;
}

static void report_temperatures(const int32_t milli[]) {
  for (uint8_t i = 0; i < sensors_count(); i++) {
    frame_begin("T");
    frame_hex(sensors_rom(i), 8);
    if (milli[i] == SENSOR_ERR) frame_str("ERR");
    else frame_i32(milli[i]);
    frame_send();
  }
}

/** Dropped lines, as a comment for a person at a terminal when the count changes (§1: counted, not answered). */
static void report_dropped(void) {
  static uint16_t reported;
  uint16_t dropped = (uint16_t)(malformed + rx.oversize + uart_overruns());
  if (dropped == reported) return;
  reported = dropped;
  char text[40] = "dropped lines: ";
  utoa(dropped, text + strlen(text), 10);
  comment_send(text);
}

int main(void) {
  outputs_off();
  fs_init(&fs, &COMPILED, &TIMES, 0);  // the clock starts at 0 at boot
  wdt_enable(WDTO_1S);
  clock_init();
  uart_init();
  set_sleep_mode(SLEEP_MODE_IDLE);
  sei();
  send_hello();
  sensors_scan();

  uint32_t last_status = clock_ms();
  int32_t milli[SENSOR_MAX];
  for (;;) {
    wdt_reset();
    uint32_t now = clock_ms();
    int16_t byte;
    while ((byte = uart_read()) >= 0) {
      if (!line_feed(&rx, (uint8_t)byte)) continue;
      frame_t f;
      if (rx.buf[0] == '#') continue;  // a comment: ignored, not counted
      if (frame_parse(rx.buf, &f)) handle(&f, now);
      else malformed++;
    }
    uint8_t raised = fs_tick(&fs, now);
    apply_outputs();
    if (raised & FLAG_HB_TIMEOUT) send_fs("HB_TIMEOUT");
    if (raised & FLAG_MAXON_HEAT) send_fs("MAXON_HEAT");
    if (raised & FLAG_MAXON_COOL) send_fs("MAXON_COOL");
    if (sensors_poll(now, milli)) {
      if (fs_temperature(&fs, too_hot(milli), now) & FLAG_OVERTEMP) send_fs("OVERTEMP");
      apply_outputs();
      report_temperatures(milli);
    }
    if ((uint32_t)(now - last_status) >= STATUS_MS) {
      last_status += STATUS_MS;
      send_status();
      report_dropped();
    }
    led_update(fs.flags, now);
    sleep_mode();  // until the next byte or millisecond tick
  }
}
