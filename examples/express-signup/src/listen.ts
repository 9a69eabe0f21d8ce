import type { Server } from 'node:http';
import type { Express } from 'express';

/** Listens on `port` and `host`; a taken port falls back to a free one. */
export function listen(app: Express, port: number, host: string): Promise<Server> {
  return new Promise<Server>((resolve, reject) => {
    const tryListen = (at: number) => {
      const server = app.listen(at, host);
      server.once('listening', () => resolve(server));
      server.once('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'EADDRINUSE' && at !== 0) tryListen(0);
        else reject(err);
      });
    };
    tryListen(port);
  });
}

/**
 * Stops taking connections and resolves once the requests in flight are answered (they
 * still need the guard, so close it only afterwards). Idle keep-alive connections are
 * closed as they become idle; after `graceMs` every connection is cut.
 */
export function stopServer(server: Server, graceMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const idle = setInterval(() => server.closeIdleConnections(), 50);
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearInterval(idle);
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}
