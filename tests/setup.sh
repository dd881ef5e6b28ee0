#!/usr/bin/env bash
# Installs what the tests need on a Debian machine (Raspberry Pi OS included): the Debian packages the tests
# drive, then the npm packages. The README's test command, `bash tests/setup.sh && npm test`, runs it first;
# .ci/run runs the same two steps.
set -euo pipefail
cd "$(dirname "$0")/.."

# Native modules (better-sqlite3) build from source against the system's Node headers.
export npm_config_nodedir=/usr

# Debian packages the tests drive, one per line with what needs it.
APT_PACKAGES=(
  mosquitto          # external-broker, restart and benchmark tests run a real Mosquitto
  mosquitto-clients  # interop tests use mosquitto_pub / mosquitto_sub
  victoria-metrics   # InfluxDB mirror tests write to a real VictoriaMetrics over /api/v2/write
  chromium           # browser tests and the latency benchmark drive the dashboard in headless Chromium
  udev               # serialport's port listing (cobrew board list) runs udevadm
  gcc-avr            # firmware tests build the reference board's firmware (firmware-bridge/firmware/build.sh)
  avr-libc           #   its C library and ATmega328P headers
  binutils-avr       #   avr-objcopy (.hex) and avr-size (flash/RAM report)
  libsimavr-dev      # firmware tests run it in simavr: the harness links libsimavr (headers, pkg-config)
  libelf-dev         #   simavr loads the firmware's .elf
  pkg-config         #   finds simavr's compiler flags
  gcc                #   compiles the harness (firmware-bridge/firmware/sim/cobrew-sim.c)
  make               #   drives both builds
  systemd            # the service unit test checks cobrew's unit with systemd-analyze verify
  python3-aiosmtpd   # e-mail alert tests send to a real SMTP server (STARTTLS, login)
  openssl            #   which gets a throwaway certificate for its STARTTLS; so does Mosquitto for mqtts://
)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installing Debian packages the tests need: ${missing[*]}"
  sudo=''
  [ "$(id -u)" -eq 0 ] || sudo='sudo'
  $sudo apt-get update
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi

# npm packages exactly as locked; skipped when node_modules already matches the lock file.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
