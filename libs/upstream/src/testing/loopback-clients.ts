import { startStub, type Stub, type StubHandler } from '@frontdoor/testing';
import { UpstreamClient } from '../upstream.client';
import type { UpstreamOptions } from '../upstream.types';

/** What a spec starts against loopback stubs, closed together by `closeAll` (the spec's `afterEach`). */
export interface LoopbackClients {
  /** A stub upstream on 127.0.0.1 answering with `handler`. */
  stub(handler: StubHandler): Promise<Stub>;
  /** A client of `urls` with the spec's defaults, `options` overriding them. */
  client(urls: readonly (string | URL)[], options?: Partial<UpstreamOptions>): UpstreamClient;
  /** Closes every client, then every stub, started since the last call. */
  closeAll(): Promise<void>;
}

/**
 * Spec-only (excluded from the lib build and from Nx production inputs): the stub and client bookkeeping the
 * upstream client's specs each spelled out.
 */
export function loopbackClients(defaults: Omit<UpstreamOptions, 'urls'>): LoopbackClients {
  const stubs: Stub[] = [];
  const clients: UpstreamClient[] = [];
  return {
    async stub(handler) {
      const started = await startStub(handler);
      stubs.push(started);
      return started;
    },
    client(urls, options = {}) {
      const created = new UpstreamClient({ ...defaults, urls: urls.map((url) => new URL(url)), ...options });
      clients.push(created);
      return created;
    },
    async closeAll() {
      await Promise.all(clients.splice(0).map((c) => c.close()));
      await Promise.all(stubs.splice(0).map((s) => s.close()));
    },
  };
}
