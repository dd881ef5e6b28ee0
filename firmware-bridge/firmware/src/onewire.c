// OneWire master, bit-banged on one pin with an external 4.7 kΩ pull-up, and the DS18B20 commands.
// Sensors must be powered from VDD (three wires); parasite power is not supported.
// Interrupts are masked only inside a bit slot (≤ 70 µs), never across the 480 µs reset pulse, so
// UART bytes (one every 174 µs at 57600 baud, two bytes of hardware buffer) are never lost.
#include <avr/io.h>
#include <string.h>
#include <util/atomic.h>
#include <util/delay.h>
#include "pins.h"
#include "sensor_bus.h"

#define OW_LOW() (OW_DDR |= _BV(OW_BIT))        // drive the line low (PORT bit stays 0)
#define OW_RELEASE() (OW_DDR &= (uint8_t)~_BV(OW_BIT))  // let the pull-up raise it
#define OW_READ() ((OW_PIN & _BV(OW_BIT)) != 0)

enum { CMD_SEARCH = 0xF0, CMD_MATCH = 0x55, CMD_SKIP = 0xCC, CMD_CONVERT = 0x44,
       CMD_READ_SP = 0xBE, CMD_WRITE_SP = 0x4E };

/** Reset pulse; true when at least one device answered with a presence pulse. */
static bool ow_reset(void) {
  OW_PORT &= (uint8_t)~_BV(OW_BIT);
  OW_LOW();
  _delay_us(480);
  bool present;
  ATOMIC_BLOCK(ATOMIC_RESTORESTATE) {
    OW_RELEASE();
    _delay_us(70);
    present = !OW_READ();
  }
  _delay_us(410);
  return present;
}

static void ow_write_bit(bool bit) {
  ATOMIC_BLOCK(ATOMIC_RESTORESTATE) {
    OW_LOW();
    if (bit) {
      _delay_us(6);
      OW_RELEASE();
      _delay_us(64);
    } else {
      _delay_us(60);
      OW_RELEASE();
      _delay_us(10);
    }
  }
}

// The sensor holds a 0 for at least 15 µs from the slot's start, and the master must sample inside that.
// Sampling at 15 µs (Maxim's AN126 figure) sits on the edge; a short 3 µs low pulse and a sample at about
// 12 µs leave 9 µs for a long cable's slow rise to show a 1, and 3 µs before a 0 may end.
static bool ow_read_bit(void) {
  bool bit;
  ATOMIC_BLOCK(ATOMIC_RESTORESTATE) {
    OW_LOW();
    _delay_us(3);
    OW_RELEASE();
    _delay_us(9);
    bit = OW_READ();
    _delay_us(58);
  }
  return bit;
}

static void ow_write(uint8_t byte) {
  for (uint8_t i = 0; i < 8; i++, byte >>= 1) ow_write_bit(byte & 1);
}

static uint8_t ow_read(void) {
  uint8_t byte = 0;
  for (uint8_t i = 0; i < 8; i++) byte = (uint8_t)((byte >> 1) | (ow_read_bit() ? 0x80 : 0));
  return byte;
}

// ROM search (Maxim application note 187): walk the binary tree of ROM codes, taking the 0 branch at new
// discrepancies and the 1 branch at the last one taken before, until no discrepancy is left.
uint8_t bus_search(uint8_t roms[][8], uint8_t max) {
  uint8_t rom[8] = {0};
  uint8_t last_discrepancy = 0;  // bit position (1-64) of the last branch where 0 was taken; 0 = none
  uint8_t found = 0;
  bool done = false;
  while (!done && found < max) {
    if (!ow_reset()) break;
    ow_write(CMD_SEARCH);
    uint8_t zero_branch = 0;
    for (uint8_t pos = 1; pos <= 64; pos++) {
      bool bit = ow_read_bit();
      bool complement = ow_read_bit();
      uint8_t *byte = &rom[(pos - 1) / 8];
      uint8_t mask = (uint8_t)(1 << ((pos - 1) % 8));
      bool dir;
      if (bit && complement) return found;  // nobody answered this bit: the bus changed under us
      if (bit != complement) {
        dir = bit;
      } else {
        dir = pos < last_discrepancy ? (*byte & mask) != 0 : pos == last_discrepancy;
        if (!dir) zero_branch = pos;
      }
      if (dir) *byte |= mask;
      else *byte &= (uint8_t)~mask;
      ow_write_bit(dir);
    }
    last_discrepancy = zero_branch;
    done = last_discrepancy == 0;
    memcpy(roms[found++], rom, 8);
  }
  return found;
}

bool bus_set_12bit(void) {
  if (!ow_reset()) return false;
  ow_write(CMD_SKIP);
  ow_write(CMD_WRITE_SP);
  ow_write(TH_SET);  // TH, TL alarms (unused as alarms: they tell a converted scratchpad from a power-on one)
  ow_write(TL_SET);
  ow_write(0x7F);  // configuration: R1 R0 = 11, 12 bits
  return true;
}

bool bus_convert_all(void) {
  if (!ow_reset()) return false;
  ow_write(CMD_SKIP);
  ow_write(CMD_CONVERT);
  return true;
}

bool bus_read_scratchpad(const uint8_t rom[8], uint8_t scratchpad[9]) {
  if (!ow_reset()) return false;
  ow_write(CMD_MATCH);
  for (uint8_t i = 0; i < 8; i++) ow_write(rom[i]);
  ow_write(CMD_READ_SP);
  for (uint8_t i = 0; i < 9; i++) scratchpad[i] = ow_read();
  return true;
}
