#include "sensors.h"
#include "crc8.h"
#include "sensor_bus.h"

#define FAMILY_DS18B20 0x28
#define CYCLE_MS 1000
// 750 ms at 12 bits is the datasheet's maximum; the margin covers a slow part or a cold bus.
#define CONVERSION_MS 800

static uint8_t roms[SENSOR_MAX][8];
static uint8_t count;
static bool converting;
static bool scanned;  // a fresh list converts at once instead of waiting for the next cycle
static uint32_t started;
static bool reconfigure;  // a probe came back from a power loss with its power-on configuration

uint8_t sensors_scan(void) {
  uint8_t found[SENSOR_MAX][8];
  uint8_t n = bus_search(found, SENSOR_MAX);
  count = 0;
  for (uint8_t i = 0; i < n; i++) {
    if (crc8(found[i], 7) != found[i][7] || found[i][0] != FAMILY_DS18B20) continue;
    for (uint8_t j = 0; j < 8; j++) roms[count][j] = found[i][j];
    count++;
  }
  if (count > 0) bus_set_12bit();
  converting = false;
  scanned = true;
  return count;
}

uint8_t sensors_count(void) { return count; }

const uint8_t *sensors_rom(uint8_t i) { return roms[i]; }

/** milli-°C from a checked scratchpad, or SENSOR_ERR. */
static int32_t decode(const uint8_t sp[9]) {
  // A bus held low reads all zeros, whose CRC is 0 too: the configuration byte's fixed bits
  // (0 R1 R0 1 1 1 1 1) tell a real scratchpad from that.
  if (crc8(sp, 8) != sp[8] || (sp[4] & 0x9F) != 0x1F) return SENSOR_ERR;
  int16_t raw = (int16_t)((uint16_t)sp[1] << 8 | sp[0]);
  // 85 °C with the alarm bytes back at their EEPROM values, not the ones bus_set_12bit wrote: the probe
  // lost power (a loose wire, a brown-out) and never converted. Its configuration is set again.
  if (raw == POWER_ON_RAW && (sp[2] != TH_SET || sp[3] != TL_SET)) {
    reconfigure = true;
    return SENSOR_ERR;
  }
  return (int32_t)raw * 125 / 2;  // 1/16 °C steps → thousandths, truncated toward zero (§4)
}

bool sensors_poll(uint32_t now, int32_t milli[]) {
  if (!converting) {
    if (count == 0 || (!scanned && (uint32_t)(now - started) < CYCLE_MS)) return false;
    scanned = false;
    started = now;
    if (reconfigure) reconfigure = !bus_set_12bit();
    converting = bus_convert_all();
    return false;
  }
  if ((uint32_t)(now - started) < CONVERSION_MS) return false;
  converting = false;
  for (uint8_t i = 0; i < count; i++) {
    uint8_t sp[9];
    milli[i] = bus_read_scratchpad(roms[i], sp) ? decode(sp) : SENSOR_ERR;
  }
  return true;
}
