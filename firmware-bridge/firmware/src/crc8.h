// CRC-8/MAXIM (Dallas/Maxim OneWire CRC: polynomial 0x31 reflected, initial value 0). Used for DS18B20 ROM
// codes and scratchpads and for the line protocol's frames, so one routine checks both.
#ifndef COBREW_CRC8_H
#define COBREW_CRC8_H
#include <stdint.h>

uint8_t crc8(const uint8_t *data, uint8_t len);

#endif
