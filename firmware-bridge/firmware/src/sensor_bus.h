// The DS18B20 bus as the sensor code sees it. The board build drives real sensors over OneWire
// (onewire.c); the test build (COBREW_TEST_BUILD) answers from the emulator's EEPROM instead
// (test_sensors.c), with the same ROM codes and scratchpads, CRCs included, so everything above this
// line runs unchanged in both.
#ifndef COBREW_SENSOR_BUS_H
#define COBREW_SENSOR_BUS_H
#include <stdbool.h>
#include <stdint.h>

#define SENSOR_MAX 8
// The alarm bytes bus_set_12bit writes into every scratchpad: a probe that lost power shows its EEPROM's
// instead, with the power-on temperature 85 °C (0x0550) that no conversion produced.
#define TH_SET 0x7F
#define TL_SET 0x80
#define POWER_ON_RAW 0x0550

/** Finds up to `max` devices; returns how many ROM codes were written (CRC not yet checked). */
uint8_t bus_search(uint8_t roms[][8], uint8_t max);
/** Sets every sensor to 12-bit resolution (broadcast); false when nothing answered the reset. */
bool bus_set_12bit(void);
/** Starts a temperature conversion on every sensor at once (750 ms at 12 bits); false when none answered. */
bool bus_convert_all(void);
/** Reads one sensor's 9-byte scratchpad; false when nothing answered the reset. */
bool bus_read_scratchpad(const uint8_t rom[8], uint8_t scratchpad[9]);

#endif
