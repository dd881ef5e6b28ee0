// cobrew-sim: runs the reference firmware (.elf) on an emulated ATmega328P at 16 MHz in simavr, with the
// UART on a pseudo-terminal, so cobrew's real serial driver can talk to it.
//
// The pty is bridged here, in the emulation's own thread, rather than with simavr's uart_pty part: that
// part (Debian's simavr 1.6) feeds received bytes into the UART from a second thread without a lock, which
// races with the emulation loop's cycle timers, and it points the shared /tmp/simavr-uart0 at whichever
// instance started last. One thread makes a run deterministic for a given input.
//
//   cobrew-sim <firmware.elf> [--speed <x>]
//
// Emulated time runs `x` times faster than wall time (default 1; 0 = as fast as the host can). The
// program talks to its test on stdin/stdout, one line per message; times are emulated microseconds since
// power-on.
//
// stdout:  PTY <path>                  the board's serial port, once, before the firmware starts
//          TX <us> <line>              a line the board sent, as it finished leaving the UART
//          LOST <us> <line>            a line the board sent that `mute` kept from the pty
//          PIN <heat|cool|led> <0|1> <us>   an output pin changed (driven high = 1)
//          RESET <us>                  the MCU reset (watchdog, or `reset`)
//          TIME <us>                   answer to `time`
// stdin:   speed <x>                   change the speed
//          time                        ask for the emulated time
//          sensor <ROM 16 hex> <milli-°C>   add or update a DS18B20 on the test bus (test build only)
//          badcrc <ROM 16 hex>         that sensor's next scratchpads carry a wrong CRC
//          unplug <ROM 16 hex>         remove it from the bus
//          poweron <ROM 16 hex>        that sensor lost power: power-on scratchpad (85 °C, EEPROM alarms)
//                                      until its temperature is set again with `sensor`
//          reset <power-on|external|brown-out|watchdog>   reset the MCU now, with that MCUSR flag
//          fuse <hex>                  the extended fuse the test build reads (default FD: an Uno's 2.7 V)
//          mute <n>                    the board's next n lines never reach the pty (noise on the wire)
// The test-build firmware reads the bus from EEPROM (firmware src/test_sensors.c); this program writes it.
// End of stdin ends the program.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pty.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "avr_eeprom.h"
#include "avr_uart.h"
#include "sim_avr.h"
#include "sim_elf.h"

#define FREQUENCY 16000000UL
#define SENSOR_MAX 8
// ATmega328P data-space addresses.
#define PORTB_ADDR 0x25
#define DDRB_ADDR 0x24
#define PORTD_ADDR 0x2B
#define DDRD_ADDR 0x2A
#define MCUSR_ADDR 0x54
#define PORF_BIT 0x01
#define EXTRF_BIT 0x02
#define BORF_BIT 0x04
#define WDRF_BIT 0x08

static avr_t *avr;
// The pty: host→board bytes wait here until the UART has room (its XON/XOFF signals).
static int pty_master;
static char pty_name[64];
static uint8_t rx_queue[4096];
static size_t rx_head, rx_len;
static int uart_xon = 1;
static avr_irq_t *uart_input;
static double speed = 1;
// Wall time and emulated cycle count when the speed was last set: the throttle's reference point.
static double anchor_wall;
static avr_cycle_count_t anchor_cycle;

typedef struct {
  uint8_t rom[8];
  int32_t milli;
  int bad_crc;
  int power_on;  // the probe lost power: its scratchpad is the power-on one until the firmware writes it
} sensor_t;
static sensor_t sensors[SENSOR_MAX];
static int nsensors;

static double wall_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static unsigned long long now_us(void) { return (unsigned long long)(avr->cycle / (FREQUENCY / 1000000)); }

static void set_speed(double x) {
  speed = x;
  anchor_wall = wall_s();
  anchor_cycle = avr->cycle;
}

// simavr's default sleep callback sleeps in wall time; the throttle below keeps time instead.
static void no_sleep(avr_t *a, avr_cycle_count_t how_long) {
  (void)a;
  (void)how_long;
}

static void throttle(void) {
  if (speed <= 0) return;
  double emulated = (double)(avr->cycle - anchor_cycle) / FREQUENCY;
  double ahead = emulated / speed - (wall_s() - anchor_wall);
  if (ahead > 0.0005) {
    struct timespec ts = {0, (long)((ahead > 0.01 ? 0.01 : ahead) * 1e9)};
    nanosleep(&ts, NULL);
  }
}

// The board's output, collected into lines with the emulated time of their last byte.
static char tx_line[256];
static size_t tx_len;
// Lines still to keep from the pty (`mute`).
static int muted_lines;
static void uart_out(struct avr_irq_t *irq, uint32_t value, void *param) {
  (void)irq;
  (void)param;
  uint8_t byte = (uint8_t)value;
  // The reader may be slow or absent (port closed): the pty then drops what it cannot hold, as a real
  // USB serial adapter does with nobody listening.
  if (muted_lines == 0 && write(pty_master, &byte, 1) < 0 && errno != EAGAIN && errno != EIO)
    perror("cobrew-sim: pty");
  if (value == '\n') {
    tx_line[tx_len] = '\0';
    printf("%s %llu %s\n", muted_lines > 0 ? "LOST" : "TX", now_us(), tx_line);
    if (muted_lines > 0) muted_lines--;
    fflush(stdout);
    tx_len = 0;
  } else if (tx_len < sizeof tx_line - 1) {
    tx_line[tx_len++] = (char)value;
  }
}

static uint8_t crc8(const uint8_t *data, int len) {
  uint8_t crc = 0;
  for (int i = 0; i < len; i++) {
    crc ^= data[i];
    for (int b = 0; b < 8; b++) crc = (crc & 1) ? (uint8_t)((crc >> 1) ^ 0x8C) : (uint8_t)(crc >> 1);
  }
  return crc;
}

// EEPROM image read by the test build: count, then per sensor ROM (8) + scratchpad (9).
static void write_bus(void) {
  uint8_t image[1 + SENSOR_MAX * 17];
  image[0] = (uint8_t)nsensors;
  for (int i = 0; i < nsensors; i++) {
    uint8_t *rec = image + 1 + i * 17;
    memcpy(rec, sensors[i].rom, 8);
    // 1/16 °C steps, rounded to the nearest, as a DS18B20 at 12 bits.
    long raw = lround((double)sensors[i].milli * 16 / 1000);
    uint8_t *sp = rec + 8;
    if (sensors[i].power_on) raw = 0x0550;  // 85 °C, never converted
    sp[0] = (uint8_t)(raw & 0xFF);
    sp[1] = (uint8_t)((raw >> 8) & 0xFF);
    // TH, TL: the firmware's values, or the EEPROM's (0x4B, 0x46) after a power loss.
    sp[2] = sensors[i].power_on ? 0x4B : 0x7F;
    sp[3] = sensors[i].power_on ? 0x46 : 0x80;
    sp[4] = 0x7F;  // configuration: 12 bits
    sp[5] = 0xFF;  // reserved
    sp[6] = 0x0C;
    sp[7] = 0x10;
    sp[8] = (uint8_t)(crc8(sp, 8) ^ (sensors[i].bad_crc ? 0x5A : 0));
  }
  avr_eeprom_desc_t desc = {.ee = image, .offset = 0, .size = (uint32_t)(1 + nsensors * 17)};
  avr_ioctl(avr, AVR_IOCTL_EEPROM_SET, &desc);
}

static int parse_rom(const char *hex, uint8_t rom[8]) {
  if (strlen(hex) != 16) return 0;
  for (int i = 0; i < 8; i++) {
    unsigned v;
    if (sscanf(hex + 2 * i, "%2X", &v) != 1) return 0;
    rom[i] = (uint8_t)v;
  }
  return 1;
}

static sensor_t *find_sensor(const uint8_t rom[8]) {
  for (int i = 0; i < nsensors; i++)
    if (memcmp(sensors[i].rom, rom, 8) == 0) return &sensors[i];
  return NULL;
}

/** Resets the MCU as that cause would, leaving its flag in MCUSR for the firmware to report. */
static int reset_as(const char *cause) {
  uint8_t flag = strcmp(cause, "power-on") == 0    ? PORF_BIT
                 : strcmp(cause, "external") == 0  ? EXTRF_BIT
                 : strcmp(cause, "brown-out") == 0 ? BORF_BIT
                 : strcmp(cause, "watchdog") == 0  ? WDRF_BIT
                                                   : 0;
  if (flag == 0) return 0;
  avr_reset(avr);
  avr->data[MCUSR_ADDR] |= flag;
  printf("RESET %llu\n", now_us());
  return 1;
}

// The test build reads the extended fuse from the EEPROM's last byte (firmware src/reset.c).
static void write_efuse(uint8_t efuse) {
  avr_eeprom_desc_t desc = {.ee = &efuse, .offset = 1023, .size = 1};
  avr_ioctl(avr, AVR_IOCTL_EEPROM_SET, &desc);
}

static void command(char *line) {
  char word[16], arg[32];
  double number;
  long milli;
  int count;
  unsigned efuse;
  uint8_t rom[8];
  if (sscanf(line, "speed %lf", &number) == 1) {
    set_speed(number);
  } else if (sscanf(line, "fuse %x", &efuse) == 1 && efuse <= 0xFF) {
    write_efuse((uint8_t)efuse);
  } else if (sscanf(line, "mute %d", &count) == 1 && count >= 0) {
    muted_lines = count;
  } else if (sscanf(line, "reset %31s", arg) == 1) {
    if (!reset_as(arg)) fprintf(stderr, "cobrew-sim: unknown reset cause: %s\n", arg);
  } else if (strcmp(line, "time") == 0) {
    printf("TIME %llu\n", now_us());
  } else if (sscanf(line, "sensor %31s %ld", arg, &milli) == 2 && parse_rom(arg, rom)) {
    sensor_t *s = find_sensor(rom);
    if (s == NULL && nsensors < SENSOR_MAX) {
      s = &sensors[nsensors++];
      memcpy(s->rom, rom, 8);
      s->bad_crc = 0;
    }
    if (s != NULL) {
      s->milli = (int32_t)milli;
      s->power_on = 0;
    }
    write_bus();
  } else if (sscanf(line, "%15s %31s", word, arg) == 2 && parse_rom(arg, rom) && find_sensor(rom) &&
             (strcmp(word, "badcrc") == 0 || strcmp(word, "unplug") == 0 || strcmp(word, "poweron") == 0)) {
    sensor_t *s = find_sensor(rom);
    if (word[0] == 'b') s->bad_crc = 1;
    else if (word[0] == 'p') s->power_on = 1;
    else *s = sensors[--nsensors];
    write_bus();
  } else {
    fprintf(stderr, "cobrew-sim: unknown command: %s\n", line);
  }
  fflush(stdout);
}

// Non-blocking read of stdin; returns 0 at end of input.
static char in_buf[512];
static size_t in_len;
static int poll_stdin(void) {
  struct pollfd p = {.fd = 0, .events = POLLIN};
  if (poll(&p, 1, 0) <= 0) return 1;
  ssize_t n = read(0, in_buf + in_len, sizeof in_buf - 1 - in_len);
  if (n <= 0) return n < 0 && errno == EINTR;
  in_len += (size_t)n;
  char *nl;
  while ((nl = memchr(in_buf, '\n', in_len)) != NULL) {
    *nl = '\0';
    command(in_buf);
    in_len -= (size_t)(nl + 1 - in_buf);
    memmove(in_buf, nl + 1, in_len);
  }
  if (in_len == sizeof in_buf - 1) in_len = 0;  // a line too long to be a command
  return 1;
}

static void uart_xon_changed(struct avr_irq_t *irq, uint32_t value, void *param) {
  (void)irq;
  (void)value;
  uart_xon = param != NULL;
}

static void open_pty(void) {
  int slave;
  if (openpty(&pty_master, &slave, pty_name, NULL, NULL) != 0) {
    perror("cobrew-sim: openpty");
    exit(1);
  }
  struct termios tio;
  tcgetattr(slave, &tio);
  cfmakeraw(&tio);
  tcsetattr(slave, TCSANOW, &tio);
  // The slave stays open here too, so the host may close and reopen the port without the master seeing
  // end of file.
  fcntl(pty_master, F_SETFL, fcntl(pty_master, F_GETFL) | O_NONBLOCK);
}

static void pump_pty(void) {
  if (rx_len < sizeof rx_queue) {
    uint8_t buf[256];
    size_t room = sizeof rx_queue - rx_len;
    ssize_t n = read(pty_master, buf, room < sizeof buf ? room : sizeof buf);
    for (ssize_t i = 0; i < n; i++) rx_queue[(rx_head + rx_len++) % sizeof rx_queue] = buf[i];
  }
  while (uart_xon && rx_len > 0) {
    uint8_t byte = rx_queue[rx_head];
    rx_head = (rx_head + 1) % sizeof rx_queue;
    rx_len--;
    avr_raise_irq(uart_input, byte);
  }
}

typedef struct {
  const char *name;
  uint16_t port, ddr;
  uint8_t bit;
  int state;
} pin_t;
static pin_t pins[] = {
    {"heat", PORTD_ADDR, DDRD_ADDR, 7, 0},  // D7
    {"cool", PORTB_ADDR, DDRB_ADDR, 0, 0},  // D8
    {"led", PORTB_ADDR, DDRB_ADDR, 5, 0},   // D13
};

static void watch_pins(void) {
  for (size_t i = 0; i < sizeof pins / sizeof pins[0]; i++) {
    pin_t *p = &pins[i];
    int driven_high = (avr->data[p->ddr] >> p->bit & 1) && (avr->data[p->port] >> p->bit & 1);
    if (driven_high != p->state) {
      p->state = driven_high;
      printf("PIN %s %d %llu\n", p->name, driven_high, now_us());
      fflush(stdout);
    }
  }
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: cobrew-sim <firmware.elf> [--speed <x>]\n");
    return 2;
  }
  elf_firmware_t fw;
  memset(&fw, 0, sizeof fw);
  if (elf_read_firmware(argv[1], &fw) != 0) {
    fprintf(stderr, "cobrew-sim: cannot read %s\n", argv[1]);
    return 1;
  }
  strcpy(fw.mmcu, "atmega328p");
  fw.frequency = FREQUENCY;
  avr = avr_make_mcu_by_name(fw.mmcu);
  if (avr == NULL || avr_init(avr) != 0) {
    fprintf(stderr, "cobrew-sim: simavr has no atmega328p\n");
    return 1;
  }
  avr_load_firmware(avr, &fw);
  avr->sleep = no_sleep;
  avr->log = LOG_ERROR;
  // A real power-on sets PORF; simavr starts with MCUSR clear.
  avr->data[MCUSR_ADDR] |= PORF_BIT;

  open_pty();
  // No copy of the board's output on simavr's console: this program's stdout is for its test.
  uint32_t flags = 0;
  avr_ioctl(avr, AVR_IOCTL_UART_GET_FLAGS('0'), &flags);
  flags &= ~(uint32_t)AVR_UART_FLAG_STDIO;
  avr_ioctl(avr, AVR_IOCTL_UART_SET_FLAGS('0'), &flags);
  avr_irq_register_notify(avr_io_getirq(avr, AVR_IOCTL_UART_GETIRQ('0'), UART_IRQ_OUTPUT), uart_out, NULL);
  avr_irq_register_notify(avr_io_getirq(avr, AVR_IOCTL_UART_GETIRQ('0'), UART_IRQ_OUT_XON), uart_xon_changed,
                          (void *)1);
  avr_irq_register_notify(avr_io_getirq(avr, AVR_IOCTL_UART_GETIRQ('0'), UART_IRQ_OUT_XOFF), uart_xon_changed,
                          NULL);
  uart_input = avr_io_getirq(avr, AVR_IOCTL_UART_GETIRQ('0'), UART_IRQ_INPUT);
  write_bus();
  write_efuse(0xFD);

  for (int i = 2; i < argc; i++)
    if (strcmp(argv[i], "--speed") == 0 && i + 1 < argc) speed = atof(argv[++i]);
  set_speed(speed);
  printf("PTY %s\n", pty_name);
  fflush(stdout);

  avr_cycle_count_t last_poll = 0;
  for (;;) {
    int state = avr_run(avr);
    if (state == cpu_Done || state == cpu_Crashed) {
      fprintf(stderr, "cobrew-sim: the emulated MCU stopped (state %d)\n", state);
      return 1;
    }
    if (avr->pc == 0) {
      printf("RESET %llu\n", now_us());
      fflush(stdout);
    }
    watch_pins();
    // Every emulated millisecond: the test's commands, the host's bytes, and keeping time.
    if (avr->cycle - last_poll >= FREQUENCY / 1000) {
      last_poll = avr->cycle;
      if (!poll_stdin()) break;
      pump_pty();
      throttle();
    }
  }
  return 0;
}
