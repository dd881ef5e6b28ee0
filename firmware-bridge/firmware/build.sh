#!/usr/bin/env bash
# Builds the reference firmware and its simavr harness with Debian's toolchain (see README.md).
#   build.sh [release|test|sim ...]   default: release. Outputs under build/ (never committed).
# Prints the flash and RAM use of each firmware built. Safe to run from several processes at once.
set -euo pipefail
cd "$(dirname "$0")"

need() {
  command -v "$1" >/dev/null 2>&1 || {
    echo "COBREW_ERR_FIRMWARE_TOOLCHAIN: $1 not found. Install the firmware toolchain: $2" >&2
    exit 3
  }
}
need make 'apt-get install make'
need avr-gcc 'apt-get install --no-install-recommends gcc-avr avr-libc binutils-avr (the list in .ci/run)'
targets=("${@:-release}")
for t in "${targets[@]}"; do
  if [ "$t" = sim ]; then
    need cc 'apt-get install gcc'
    pkg-config --exists simavr 2>/dev/null || {
      echo "COBREW_ERR_FIRMWARE_TOOLCHAIN: simavr's library not found. Install it:" \
        "apt-get install --no-install-recommends libsimavr-dev libelf-dev pkg-config (the list in .ci/run)" >&2
      exit 3
    }
  fi
done

mkdir -p build
# One build at a time: test files run in parallel and share build/.
exec 9>build/.lock
flock 9
make --no-print-directory -s "${targets[@]}" >&2
for t in "${targets[@]}"; do
  if [ "$t" != sim ]; then
    avr-size -C --mcu=atmega328p "build/$t/cobrew-ref.elf" | awk -v t="$t" '
      /^Program:/ { flash = $2 " bytes (" substr($4, 2) }
      /^Data:/ { ram = $2 " bytes (" substr($4, 2) }
      END { printf "%s: flash %s of 32 KiB; optiboot leaves 31.5 KiB), RAM %s of 2 KiB, static; the stack has the rest)\n", t, flash, ram }' 
  fi
done
