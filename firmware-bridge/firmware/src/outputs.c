#include "outputs.h"
#include "failsafe.h"
#include "pins.h"

void outputs_off(void) {
  HEAT_PORT &= (uint8_t)~_BV(HEAT_BIT);
  COOL_PORT &= (uint8_t)~_BV(COOL_BIT);
  HEAT_DDR |= _BV(HEAT_BIT);
  COOL_DDR |= _BV(COOL_BIT);
}

bool outputs_write(bool heat, bool cool) {
  if (heat && cool) {
    outputs_off();
    return false;
  }
  if (!heat) HEAT_PORT &= (uint8_t)~_BV(HEAT_BIT);
  if (!cool) COOL_PORT &= (uint8_t)~_BV(COOL_BIT);
  if (heat) HEAT_PORT |= _BV(HEAT_BIT);
  if (cool) COOL_PORT |= _BV(COOL_BIT);
  return true;
}

void led_update(uint8_t flags, uint32_t now) {
  bool lit;
  if (flags & (FLAG_HB_TIMEOUT | FLAG_MAXON_HEAT | FLAG_MAXON_COOL | FLAG_OVERTEMP)) lit = (now / 100) % 2;  // 5 Hz
  else if (flags & FLAG_BOOT) lit = false;
  else lit = (now / 500) % 2;  // 1 Hz
  LED_DDR |= _BV(LED_BIT);
  if (lit) LED_PORT |= _BV(LED_BIT);
  else LED_PORT &= (uint8_t)~_BV(LED_BIT);
}
