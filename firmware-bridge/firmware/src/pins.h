// Arduino Uno / Nano (ATmega328P) pin map of the reference board ref-uno-r1. Outputs are active high: a high
// pin switches the SSR or the relay driver on. At reset and in the bootloader the pins float, so the board
// has a 10 kΩ pull-down on each output (docs/reference-board.md).
#ifndef COBREW_PINS_H
#define COBREW_PINS_H
#include <avr/io.h>

// D2: DS18B20 data (DQ), 4.7 kΩ pull-up to 5 V.
#define OW_PORT PORTD
#define OW_DDR DDRD
#define OW_PIN PIND
#define OW_BIT PD2

// D7: heat output.
#define HEAT_PORT PORTD
#define HEAT_DDR DDRD
#define HEAT_BIT PD7

// D8: cool output.
#define COOL_PORT PORTB
#define COOL_DDR DDRB
#define COOL_BIT PB0

// D13: the on-board LED (failsafe and host status, see outputs.c).
#define LED_PORT PORTB
#define LED_DDR DDRB
#define LED_BIT PB5

#endif
