#include "uart.h"
#include <avr/interrupt.h>
#include <avr/io.h>

#define BAUD 57600UL
// Double speed: 16 MHz / (8 × 35) = 57143 baud, 0.8 % off, as every Arduino core does it.
#define UBRR_VALUE ((F_CPU + 4UL * BAUD) / (8UL * BAUD) - 1UL)

#define RX_SIZE 128  // more than one full line, so a line arriving during a sensor read is not lost
#define TX_SIZE 128
static volatile uint8_t rx[RX_SIZE], rx_head, rx_tail;
static volatile uint8_t tx[TX_SIZE], tx_head, tx_tail;
static volatile uint16_t overruns;

ISR(USART_RX_vect) {
  uint8_t b = UDR0;
  uint8_t next = (uint8_t)((rx_head + 1) % RX_SIZE);
  if (next == rx_tail) {
    overruns++;
    return;
  }
  rx[rx_head] = b;
  rx_head = next;
}

ISR(USART_UDRE_vect) {
  if (tx_head == tx_tail) {
    UCSR0B &= (uint8_t)~_BV(UDRIE0);
    return;
  }
  UDR0 = tx[tx_tail];
  tx_tail = (uint8_t)((tx_tail + 1) % TX_SIZE);
}

void uart_init(void) {
  UBRR0H = (uint8_t)(UBRR_VALUE >> 8);
  UBRR0L = (uint8_t)UBRR_VALUE;
  UCSR0A = _BV(U2X0);
  UCSR0C = _BV(UCSZ01) | _BV(UCSZ00);
  UCSR0B = _BV(RXEN0) | _BV(TXEN0) | _BV(RXCIE0);
}

int16_t uart_read(void) {
  if (rx_head == rx_tail) return -1;
  uint8_t b = rx[rx_tail];
  rx_tail = (uint8_t)((rx_tail + 1) % RX_SIZE);
  return b;
}

void uart_write(const char *s, uint8_t len) {
  while (len--) {
    uint8_t next = (uint8_t)((tx_head + 1) % TX_SIZE);
    // A full ring drains at 5.8 bytes/ms, far inside the watchdog's 1 s. The watchdog is fed only by the
    // main loop, so a UART that stopped draining resets the board instead of hanging it.
    while (next == tx_tail) {
    }
    tx[tx_head] = (uint8_t)*s++;
    tx_head = next;
    UCSR0B |= _BV(UDRIE0);
  }
}

uint16_t uart_overruns(void) {
  uint16_t n;
  uint8_t sreg = SREG;
  cli();
  n = overruns;
  SREG = sreg;
  return n;
}
