// `cobrew board list`: the serial ports a board may be on, to find the path to put in cobrew.yaml.
import type { Command } from 'commander';
import { listSerialPorts, type SerialPortEntry } from '../drivers/serial/list.js';

const COLUMNS: Array<[string, (p: SerialPortEntry) => string]> = [
  ['PATH', (p) => p.path],
  ['MANUFACTURER', (p) => p.manufacturer ?? '-'],
  ['VID:PID', (p) => (p.vendorId || p.productId ? `${p.vendorId ?? '?'}:${p.productId ?? '?'}` : '-')],
  ['SERIAL', (p) => p.serialNumber ?? '-'],
];

export function formatPortTable(ports: readonly SerialPortEntry[]): string {
  if (ports.length === 0)
    return 'No serial ports found. Plug the board in, then run cobrew board list again.\n';
  const rows = [COLUMNS.map(([h]) => h), ...ports.map((p) => COLUMNS.map(([, cell]) => cell(p)))];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map(
      (r) =>
        `${r
          .map((c, i) => c.padEnd(widths[i] ?? 0))
          .join('  ')
          .trimEnd()}\n`,
    )
    .join('');
}

export function addBoardListCommand(board: Command): void {
  board
    .command('list')
    .description('list serial ports with manufacturer, USB vendor:product id and serial number')
    .option('--json', 'print JSON instead of a table')
    .action(async (opts: { json?: boolean }) => {
      const ports = await listSerialPorts();
      process.stdout.write(opts.json ? `${JSON.stringify(ports, null, 2)}\n` : formatPortTable(ports));
    });
}
