import type { Kysely } from 'kysely';

/**
 * The database a migration runs on. Deliberately untyped (Kysely's documented convention): a
 * migration is frozen when it ships and must not depend on today's `Database` interface, which
 * describes the schema after every migration, not the one a given migration starts from.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's schema (see above)
export type MigrationDb = Kysely<any>;
