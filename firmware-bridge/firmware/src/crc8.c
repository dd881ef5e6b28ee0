#include "crc8.h"
#include <util/crc16.h>

uint8_t crc8(const uint8_t *data, uint8_t len) {
  uint8_t crc = 0;
  // avr-libc's _crc_ibutton_update is exactly this CRC (0x8C reflected, initial value 0).
  while (len--) crc = _crc_ibutton_update(crc, *data++);
  return crc;
}
