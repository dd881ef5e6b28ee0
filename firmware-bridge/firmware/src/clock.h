// Milliseconds since boot from Timer0 (1 kHz compare interrupt). Wraps after 49 days: compare times only by
// subtraction (`(uint32_t)(now - then) >= span`), never by order.
#ifndef COBREW_CLOCK_H
#define COBREW_CLOCK_H
#include <stdint.h>

void clock_init(void);
uint32_t clock_ms(void);

#endif
