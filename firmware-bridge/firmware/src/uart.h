// Interrupt-driven UART0 (57600 8N1): received bytes wait in a ring for the main loop, sent bytes leave from
// a ring so a line costs the loop microseconds, not the 17 ms it takes on the wire.
#ifndef COBREW_UART_H
#define COBREW_UART_H
#include <stdint.h>

void uart_init(void);
/** Next received byte, or -1 when none is waiting. */
int16_t uart_read(void);
/** Queues bytes to send; waits for room only when the ring is full. */
void uart_write(const char *s, uint8_t len);
/** Received bytes lost because the ring was full (the line they belonged to is then malformed). */
uint16_t uart_overruns(void);

#endif
