// Runs in .init3, before the C runtime copies data and clears bss: it drives the outputs off first, then
// saves and clears the reset flags and stops the watchdog, which a watchdog reset leaves running at 16 ms.
#include "reset.h"
#include <avr/io.h>
#include <avr/wdt.h>
#ifdef COBREW_TEST_BUILD
#include <avr/eeprom.h>
#else
#include <avr/boot.h>
#endif
#include "outputs.h"

static uint8_t flags __attribute__((section(".noinit")));

void early_init(void) __attribute__((naked, used, section(".init3")));
void early_init(void) {
  uint8_t from_bootloader;
  // optiboot clears MCUSR itself and passes its old value in r2.
  __asm__ __volatile__("mov %0, r2" : "=r"(from_bootloader));
  outputs_off();
  flags = MCUSR ? MCUSR : (uint8_t)(from_bootloader & 0x0F);
  MCUSR = 0;
  wdt_disable();
}

const char *reset_cause(void) {
  if (flags & _BV(WDRF)) return "watchdog";
  if (flags & _BV(BORF)) return "brown-out";
  if (flags & _BV(EXTRF)) return "external";
  if (flags & _BV(PORF)) return "power-on";
  return "unknown";
}

uint16_t brown_out_mv(void) {
#ifdef COBREW_TEST_BUILD
  uint8_t efuse = eeprom_read_byte((const uint8_t *)E2END);
#else
  uint8_t efuse = boot_lock_fuse_bits_get(GET_EXTENDED_FUSE_BITS);
#endif
  switch (efuse & 0x07) {  // BODLEVEL2..0
    case 4:
      return 4300;
    case 5:
      return 2700;
    case 6:
      return 1800;
    default:
      return 0;
  }
}
