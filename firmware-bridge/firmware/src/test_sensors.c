// Test build only (COBREW_TEST_BUILD): the sensor bus answers from EEPROM, which the simavr harness
// (sim/cobrew-sim.c) writes while the firmware runs. Layout: byte 0 = device count (0-8), then per device
// its 8-byte ROM code and its 9-byte scratchpad, CRC bytes as a DS18B20 would send them (the harness can
// send a wrong one). Everything above the bus (CRC checks, decoding, the protocol) is the board's code.
#include <avr/eeprom.h>
#include "sensor_bus.h"

#define RECORD 17

static uint8_t count(void) {
  uint8_t n = eeprom_read_byte((const uint8_t *)0);
  return n > SENSOR_MAX ? SENSOR_MAX : n;
}

uint8_t bus_search(uint8_t roms[][8], uint8_t max) {
  uint8_t n = count();
  if (n > max) n = max;
  for (uint8_t i = 0; i < n; i++) eeprom_read_block(roms[i], (const void *)(1 + i * RECORD), 8);
  return n;
}

bool bus_set_12bit(void) { return count() > 0; }

bool bus_convert_all(void) { return count() > 0; }

bool bus_read_scratchpad(const uint8_t rom[8], uint8_t scratchpad[9]) {
  uint8_t n = count();
  for (uint8_t i = 0; i < n; i++) {
    uint8_t candidate[8];
    eeprom_read_block(candidate, (const void *)(1 + i * RECORD), 8);
    bool same = true;
    for (uint8_t j = 0; j < 8; j++) same = same && candidate[j] == rom[j];
    if (same) {
      eeprom_read_block(scratchpad, (const void *)(1 + i * RECORD + 8), 9);
      return true;
    }
  }
  return false;
}
