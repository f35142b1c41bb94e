/**
 * A second app, in a process of its own, that a test kills in the middle of a migration as a crash would (SIGKILL:
 * no shutdown, no rollback). Reads its orders as JSON on stdin (they hold the lab's passwords, which must not show
 * on a command line), builds the services on the given config folder, connects, starts the migration and prints
 * `PROFILE <id>` then one `P2V <job view JSON>` line per `p2v.changed` event.
 */
import { text } from 'node:stream/consumers';
import type { P2vJobView } from '../../../../shared/domain/p2v';
import { startLabServices } from '../../testing';
import type { MigrationChildOrders } from './migration-child-process';
import { connectP2vProfile } from './lab-profile';

async function main(): Promise<void> {
  const orders = JSON.parse(await text(process.stdin)) as MigrationChildOrders;
  const app = await startLabServices(orders.ready, orders.name, 20_000, orders.configDir);
  const profileId = await connectP2vProfile(app, orders.ready, orders.sshAt);
  process.stdout.write(`PROFILE ${profileId}\n`);
  app.services.events.attach((event, payload) => {
    if (event === 'p2v.changed') process.stdout.write(`P2V ${JSON.stringify(payload as P2vJobView)}\n`);
  });
  await app.ipc('p2v.start', { ...orders.plan, target: { ...orders.plan.target, profileId } });
}

main().catch((error: unknown) => {
  process.stderr.write(`migration child: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
