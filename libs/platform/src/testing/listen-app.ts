// For specs only: not exported from index.ts and left out of the lib build (tsconfig.lib.json excludes src/testing).
import { Module, type Type } from '@nestjs/common';
import { ObservabilityModule } from '@frontdoor/observability';
import { createBffApp, type BffApp, type BffAppOptions, type ServerSettings } from '../create-bff-app';

/** Quiet server settings for a spec: silent logs, no proxy, no IP lists, a 1 KiB body limit; `overrides` win. */
export function testServer(overrides: Partial<ServerSettings> = {}): ServerSettings {
  return { logLevel: 'silent', trustProxy: [], ipAllow: [], ipDeny: [], bodyLimitBytes: 1024, ...overrides };
}

/** A root module of these controllers and ObservabilityModule (health, metrics) with no readiness checks. */
export function observedModule(controllers: Type[], app = 't'): Type {
  @Module({ imports: [ObservabilityModule.forRoot({ app, readiness: { useFactory: () => [] } })], controllers })
  class ObservedModule {}
  return ObservedModule;
}

export interface ListenAppOptions extends Omit<BffAppOptions, 'app' | 'server'> {
  /** The app name; 't' unless given. */
  readonly app?: string;
  /** Overrides of `testServer()`. */
  readonly server?: Partial<ServerSettings>;
}

export interface ListenedApp {
  readonly app: BffApp;
  /** Where it listens, e.g. `http://127.0.0.1:41234` (`https://` with TLS settings). */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Builds the app with `createBffApp` and listens on a free port of 127.0.0.1; the caller closes it. */
export async function listenApp(rootModule: unknown, options: ListenAppOptions = {}): Promise<ListenedApp> {
  const { app: name = 't', server, ...rest } = options;
  const app = await createBffApp(rootModule, { ...rest, app: name, server: testServer(server) });
  try {
    await app.nest.listen(0, '127.0.0.1');
    const url = await app.nest.getUrl();
    return { app, url, port: Number(new URL(url).port), close: () => app.nest.close() };
  } catch (error) {
    await app.nest.close();
    throw error;
  }
}
