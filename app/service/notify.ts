// systemd's notify protocol (sd_notify(3)): one datagram of KEY=VALUE lines to the unix socket named in
// NOTIFY_SOCKET. No socket named: not run by systemd, nothing to tell.
import { createSocket } from 'unix-dgram';

export interface Notifier {
  send(state: string): Promise<void>;
  close(): void;
}

export function systemdNotifier(env: NodeJS.ProcessEnv = process.env): Notifier | null {
  const path = env.NOTIFY_SOCKET;
  // Abstract sockets (@name) are not reachable through unix-dgram; systemd's own is a path.
  if (path === undefined || path === '' || !path.startsWith('/')) return null;
  const socket = createSocket('unix_dgram');
  // A failed send is answered through the callback; the socket must not throw from an emitted 'error'.
  socket.on('error', () => {});
  return {
    send: (state) =>
      new Promise<void>((resolve, reject) => {
        const buf = Buffer.from(state);
        socket.send(buf, 0, buf.length, path, (err) => (err ? reject(err) : resolve()));
      }),
    close: () => socket.close(),
  };
}
