import type { IdentitySigner } from './identity.port';
import { UpstreamClient } from './upstream.client';
import type { UpstreamOptions } from './upstream.types';

/** One client per named upstream, built once at start from config. */
export class UpstreamRegistry {
  private readonly clients = new Map<string, UpstreamClient>();

  /**
   * @param identitySigner given to every client without its own: calls carrying an identity get the gateway's token
   * @throws Error when two definitions share a name (or a definition is invalid, see `UpstreamClient`)
   */
  constructor(definitions: readonly UpstreamOptions[], identitySigner?: IdentitySigner) {
    for (const definition of definitions) {
      if (this.clients.has(definition.name)) throw new Error(`upstream ${definition.name} is defined twice`);
      const signer = definition.identitySigner ?? identitySigner;
      this.clients.set(definition.name, new UpstreamClient(signer ? { ...definition, identitySigner: signer } : definition));
    }
  }

  /** @throws Error (programming error) for a name that was not defined */
  get(name: string): UpstreamClient {
    const client = this.clients.get(name);
    if (!client) throw new Error(`unknown upstream ${JSON.stringify(name)}`);
    return client;
  }

  all(): readonly UpstreamClient[] {
    return [...this.clients.values()];
  }

  /** Closes every client's pools. */
  async close(): Promise<void> {
    await Promise.all(this.all().map((client) => client.close()));
  }
}
