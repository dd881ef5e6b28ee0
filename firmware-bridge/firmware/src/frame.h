// Lines and frames of the cobrew line protocol v1 (docs/board-protocol.md §1-2): collecting bytes into lines
// (96 bytes at most, newline included), checking a frame exactly against the grammar and its CRC, and
// building outgoing frames with the board's own sequence number.
#ifndef COBREW_FRAME_H
#define COBREW_FRAME_H
#include <stdbool.h>
#include <stdint.h>

#define LINE_MAX 95  // bytes before the '\n'
#define FRAME_FIELDS_MAX 8  // fields kept; further trailing fields are checked, then ignored (§8)

typedef struct {
  char buf[LINE_MAX + 1];
  uint8_t len;
  bool discarding;  // an oversize line: drop bytes up to the next '\n'
  uint16_t oversize;
} line_rx_t;

/** Feeds one received byte; true when `rx->buf` holds a complete line (NUL-terminated, '\r' removed). */
bool line_feed(line_rx_t *rx, uint8_t byte);

typedef struct {
  uint8_t seq;
  const char *type;  // points into the line, NUL-terminated
  uint8_t nfields;   // fields present (may exceed FRAME_FIELDS_MAX)
  const char *field[FRAME_FIELDS_MAX];
} frame_t;

/** Parses a line in place (commas become NULs); false for anything that is not exactly one valid frame. */
bool frame_parse(char *line, frame_t *out);

/** Outgoing frame: begin with its type, add fields, send. At most one frame is built at a time. */
void frame_begin(const char *type);
void frame_str(const char *s);
void frame_hex(const uint8_t *bytes, uint8_t n);
void frame_u32(uint32_t v);
void frame_i32(int32_t v);
void frame_send(void);
/** A `#` comment line (ignored by the host): diagnostics for a person at a terminal. */
void comment_send(const char *text);

#endif
