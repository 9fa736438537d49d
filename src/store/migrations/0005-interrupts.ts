import type { Migration } from 'kysely';
import type { MigrationDb } from './migration-db.js';

/**
 * 0005_interrupts (issue 20): a workflow paused for a person (docs/human-in-the-loop.md).
 *
 * - `pause`: JSON text, the open pause of an INPUT_REQUIRED workflow: its interrupts (each
 *   InterruptRequested event, the tool's argument schema when known, and the answer once given)
 *   and what the dialect needs to resume the upstream. Kept after the resume until the next
 *   pause, so an answer repeated after the resume is still recognised. NULL: never paused.
 * - `interrupt_expires_at`: epoch milliseconds, the earliest `expiresAt` of the open interrupts
 *   (NULL: wait for ever); the expiry sweep reads INPUT_REQUIRED rows past it.
 * - `workflows_interrupt_expiry_idx (status, interrupt_expires_at)`: that sweep is a range scan.
 */
export const interrupts: Migration = {
  async up(db: MigrationDb): Promise<void> {
    await db.schema.alterTable('workflows').addColumn('pause', 'text').execute();
    await db.schema.alterTable('workflows').addColumn('interrupt_expires_at', 'bigint').execute();
    await db.schema
      .createIndex('workflows_interrupt_expiry_idx')
      .on('workflows')
      .columns(['status', 'interrupt_expires_at'])
      .execute();
  },
  async down(db: MigrationDb): Promise<void> {
    await db.schema.dropIndex('workflows_interrupt_expiry_idx').execute();
    for (const column of ['interrupt_expires_at', 'pause']) {
      await db.schema.alterTable('workflows').dropColumn(column).execute();
    }
  },
};
