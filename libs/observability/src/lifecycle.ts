/**
 * The app's lifecycle as readiness reports it: once draining (SIGTERM received), `/health/ready` answers 503 at
 * once so load balancers stop sending new work, while requests already accepted finish.
 */
export class Lifecycle {
  private drainingSince: number | undefined;

  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  startDraining(): void {
    this.drainingSince ??= Date.now();
  }
}
