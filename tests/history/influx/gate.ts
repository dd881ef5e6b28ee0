// An HTTP hop in front of the real server, on 127.0.0.1 and a free port, for what a healthy local
// server never does: answer slowly, refuse a token, or reject data. Passes everything through otherwise.
import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Gate {
  readonly url: string;
  /** Each request waits this long before it is passed on (0: at once). */
  delayMs: number;
  /** Answer with this status and body instead of passing the request on. */
  answer: { status: number; body: string } | null;
  /** Write requests received, and answered. */
  readonly received: number;
  readonly answered: number;
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export async function startGate(target: string): Promise<Gate> {
  let received = 0;
  let answered = 0;
  const server = createServer(async (req, res) => {
    received++;
    const payload = await body(req);
    if (gate.delayMs > 0) await new Promise((r) => setTimeout(r, gate.delayMs));
    const forced = gate.answer;
    if (forced !== null) {
      res.writeHead(forced.status, { 'content-type': 'text/plain' }).end(forced.body);
    } else {
      const headers: Record<string, string> = {};
      for (const name of ['content-type', 'content-encoding', 'authorization']) {
        const v = req.headers[name];
        if (typeof v === 'string') headers[name] = v;
      }
      const upstream = await fetch(`${target}${req.url ?? '/'}`, {
        method: req.method ?? 'GET',
        headers,
        ...(payload.length > 0 ? { body: payload } : {}),
      });
      res.writeHead(upstream.status).end(Buffer.from(await upstream.arrayBuffer()));
    }
    answered++;
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const gate: Gate = {
    url: `http://127.0.0.1:${port}`,
    delayMs: 0,
    answer: null,
    get received() {
      return received;
    },
    get answered() {
      return answered;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return gate;
}
