// The only code that touches the output pins.
#ifndef COBREW_OUTPUTS_H
#define COBREW_OUTPUTS_H
#include <stdbool.h>
#include <stdint.h>

/** Drives both outputs off; runs before main() (see reset.c) and again from main. */
void outputs_off(void);
/**
 * Writes the outputs, off before on. Returns false, with both driven off, when both would be on: the
 * interlock's last check, which only a firmware fault can reach.
 */
bool outputs_write(bool heat, bool cool);
/** The LED: steady off while waiting for the host, slow blink while the host is in control, fast blink
 * after a failsafe acted (until the host's next accepted OUT clears it). */
void led_update(uint8_t flags, uint32_t now);

#endif
