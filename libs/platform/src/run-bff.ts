import type { BffApp } from './create-bff-app';

export interface ListenSettings {
  readonly port: number;
  readonly host: string;
}

/**
 * `main.ts` of every BFF: build the app, listen, and turn start-up failures (port in use, bad address) into one
 * clear line and a non-zero exit instead of a stack trace.
 */
export async function runBff(name: string, listen: ListenSettings, create: () => Promise<BffApp>): Promise<void> {
  let app: BffApp | undefined;
  try {
    app = await create();
    await app.nest.listen(listen.port, listen.host);
    app.logger.info({ port: listen.port, host: listen.host }, `${name} listening`);
  } catch (error) {
    const code = (error as { code?: string }).code;
    const reason = code === 'EADDRINUSE' ? `port ${listen.port} is already in use` : code === 'EADDRNOTAVAIL' ? `address ${listen.host} is not available` : (error as Error).message;
    process.stderr.write(`${name} could not start: ${reason}\n`);
    await app?.nest.close().catch(() => undefined);
    process.exit(1);
  }
}
