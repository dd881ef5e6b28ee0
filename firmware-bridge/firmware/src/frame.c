#include "frame.h"
#include <stdlib.h>
#include <string.h>
#include "crc8.h"
#include "uart.h"

bool line_feed(line_rx_t *rx, uint8_t byte) {
  if (byte == '\n') {
    if (rx->discarding) {
      rx->discarding = false;
      rx->len = 0;
      return false;
    }
    if (rx->len > 0 && rx->buf[rx->len - 1] == '\r') rx->len--;
    rx->buf[rx->len] = '\0';
    rx->len = 0;
    return true;
  }
  if (rx->discarding) return false;
  if (rx->len == LINE_MAX) {
    rx->discarding = true;
    rx->oversize++;
    return false;
  }
  rx->buf[rx->len++] = (char)byte;
  return false;
}

static int8_t hex_digit(char c) {
  if (c >= '0' && c <= '9') return (int8_t)(c - '0');
  if (c >= 'A' && c <= 'F') return (int8_t)(c - 'A' + 10);
  return -1;  // lower-case hex is refused (§2)
}

static bool parse_seq(const char *s, uint8_t *seq) {
  uint8_t n = (uint8_t)strlen(s);
  if (n == 0 || n > 3 || (n > 1 && s[0] == '0')) return false;
  uint16_t v = 0;
  for (uint8_t i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = (uint16_t)(v * 10 + (uint16_t)(s[i] - '0'));
  }
  if (v > 255) return false;
  *seq = (uint8_t)v;
  return true;
}

static bool valid_type(const char *s) {
  uint8_t n = 0;
  while (s[n] >= 'A' && s[n] <= 'Z') n++;
  if (n < 1 || n > 8) return false;
  return s[n] == '\0' || (s[n] == '?' && s[n + 1] == '\0');
}

static bool valid_field(const char *s) {
  uint8_t n = (uint8_t)strlen(s);
  if (n < 1 || n > 24) return false;
  for (uint8_t i = 0; i < n; i++)
    if (s[i] < 0x21 || s[i] > 0x7E || s[i] == '$' || s[i] == '*') return false;
  return true;
}

bool frame_parse(char *line, frame_t *out) {
  uint8_t len = (uint8_t)strlen(line);
  if (len < 4 || line[0] != '$') return false;
  for (uint8_t i = 0; i < len; i++)
    if (line[i] < 0x20 || line[i] > 0x7E) return false;
  char *star = strchr(line, '*');
  if (star == NULL || star != line + len - 3) return false;
  int8_t hi = hex_digit(star[1]), lo = hex_digit(star[2]);
  if (hi < 0 || lo < 0) return false;
  if (crc8((const uint8_t *)line + 1, (uint8_t)(star - line - 1)) != (uint8_t)(hi << 4 | lo)) return false;
  *star = '\0';
  if (strchr(line + 1, '$') != NULL) return false;

  // Split on commas: seq, type, fields. Every part must be non-empty (strtok would hide empty fields).
  char *part = line + 1;
  uint8_t index = 0;
  out->nfields = 0;
  for (;;) {
    char *comma = strchr(part, ',');
    if (comma != NULL) *comma = '\0';
    if (index == 0) {
      if (!parse_seq(part, &out->seq)) return false;
    } else if (index == 1) {
      if (!valid_type(part)) return false;
      out->type = part;
    } else {
      if (!valid_field(part)) return false;
      if (out->nfields < FRAME_FIELDS_MAX) out->field[out->nfields] = part;
      out->nfields++;
    }
    index++;
    if (comma == NULL) break;
    part = comma + 1;
  }
  return index >= 2;
}

// Outgoing frame under construction: "$<seq>,<type>,...", CRC and newline added by frame_send.
static char tx[LINE_MAX + 2];
static uint8_t tx_len;
static uint8_t board_seq;  // 0 for the first frame after reset, wraps at 256

static void put(const char *s) {
  while (*s && tx_len < LINE_MAX - 3) tx[tx_len++] = *s++;
}

void frame_begin(const char *type) {
  char seq[4];
  tx_len = 0;
  put("$");
  put(utoa(board_seq++, seq, 10));
  put(",");
  put(type);
}

void frame_str(const char *s) {
  put(",");
  put(s);
}

void frame_hex(const uint8_t *bytes, uint8_t n) {
  static const char digits[] = "0123456789ABCDEF";
  char two[3] = {0, 0, 0};
  put(",");
  for (uint8_t i = 0; i < n; i++) {
    two[0] = digits[bytes[i] >> 4];
    two[1] = digits[bytes[i] & 0x0F];
    put(two);
  }
}

void frame_u32(uint32_t v) {
  char digits[11];
  frame_str(ultoa(v, digits, 10));
}

void frame_i32(int32_t v) {
  char digits[12];
  frame_str(ltoa(v, digits, 10));
}

void frame_send(void) {
  static const char digits[] = "0123456789ABCDEF";
  uint8_t crc = crc8((const uint8_t *)tx + 1, (uint8_t)(tx_len - 1));
  tx[tx_len++] = '*';
  tx[tx_len++] = digits[crc >> 4];
  tx[tx_len++] = digits[crc & 0x0F];
  tx[tx_len++] = '\n';
  uart_write(tx, tx_len);
}

void comment_send(const char *text) {
  uart_write("# ", 2);
  uart_write(text, (uint8_t)strlen(text));
  uart_write("\n", 1);
}
