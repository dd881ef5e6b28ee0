// The systemd unit cobrew runs under on Raspberry Pi OS and Debian: started after the network, restarted
// on failure, in the serial ports' group, with a watchdog it feeds only while its control loop ticks, and
// its data in /var/lib/cobrew, readable by its own user only.

export interface UnitOptions {
  /** The account cobrew runs as (not root). */
  user: string;
  /** Absolute paths of node and of cobrew's entry point (dist/app/cli/main.js). */
  node: string;
  entry: string;
  dataDir: string;
}

/** Seconds without a feed before systemd kills cobrew: the control loop ticks every second. */
export const WATCHDOG_S = 30;

export function serviceUnit(o: UnitOptions): string {
  const stateDir = o.dataDir.startsWith('/var/lib/') ? o.dataDir.slice('/var/lib/'.length) : null;
  return `[Unit]
Description=cobrew fermentation control
Wants=network-online.target
After=network-online.target

[Service]
Type=notify
NotifyAccess=main
User=${o.user}
SupplementaryGroups=dialout
# A small young generation, a heap grown by 10 % at a time and two malloc arenas: tens of megabytes less on
# a Raspberry Pi for a little more garbage collection (docs/footprint.md).
Environment=MALLOC_ARENA_MAX=2
ExecStart=${o.node} --max-semi-space-size=1 --heap-growing-percent=10 ${o.entry} start --data-dir ${o.dataDir}
${stateDir === null ? '' : `StateDirectory=${stateDir}\nStateDirectoryMode=0700\n`}UMask=0077
Restart=on-failure
RestartSec=5
WatchdogSec=${WATCHDOG_S}
# cobrew switches every output off first, then stops; it gives up waiting after 15 s.
TimeoutStopSec=20
NoNewPrivileges=yes

[Install]
WantedBy=multi-user.target
`;
}
