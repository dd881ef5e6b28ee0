// DS18B20 sensors: the list found on the bus, a conversion of all of them every second, and each
// scratchpad checked (CRC, fixed bits) before its temperature is believed.
#ifndef COBREW_SENSORS_H
#define COBREW_SENSORS_H
#include <stdbool.h>
#include <stdint.h>
#include "sensor_bus.h"

#define SENSOR_ERR INT32_MIN

/** Searches the bus and replaces the list; returns how many sensors were found. */
uint8_t sensors_scan(void);
uint8_t sensors_count(void);
const uint8_t *sensors_rom(uint8_t i);
/**
 * Runs the conversion cycle; true when a conversion just finished, with `milli[i]` set for each known
 * sensor (SENSOR_ERR when it did not answer or its scratchpad failed the checks).
 */
bool sensors_poll(uint32_t now, int32_t milli[]);

#endif
