import type { Scope } from '../../schema/principal.js';

/** Any signed-in principal (any tenant, any scopes) may use the field. */
export const AUTHENTICATED = 'authenticated' as const;

export type FieldRequirement = Scope | typeof AUTHENTICATED;

/**
 * THE table of who may call which root field: the only place authorization is decided
 * (enforced by `useScopeCheck` on every operation of every transport). A root field that is
 * not listed needs `admin`, so a field added without a line here is locked, not open.
 *
 * Some fields are listed before they exist (callTool, tools, thread, usageSummary,
 * workflowUpdates arrive with other issues) so that they work once merged.
 */
export const ROOT_FIELD_SCOPES: Readonly<
  Record<'query' | 'mutation' | 'subscription', Readonly<Record<string, FieldRequirement>>>
> = {
  query: {
    __typename: AUTHENTICATED,
    __schema: AUTHENTICATED,
    __type: AUTHENTICATED,
    agents: AUTHENTICATED,
    agent: AUTHENTICATED,
    tools: AUTHENTICATED,
    workflow: 'workflows:read',
    workflows: 'workflows:read',
    thread: 'workflows:read',
    usageSummary: 'workflows:read',
  },
  mutation: {
    __typename: AUTHENTICATED,
    runAgent: 'agents:run',
    cancelWorkflow: 'agents:run',
    respondToInterrupts: 'agents:run',
    callTool: 'tools:call',
  },
  subscription: {
    __typename: AUTHENTICATED,
    agentStream: 'workflows:read',
    workflowUpdates: 'workflows:read',
  },
};

/** What a root field of an operation of this type needs; `admin` for a field not in the table. */
export function requiredScope(operation: 'query' | 'mutation' | 'subscription', field: string): FieldRequirement {
  return Object.hasOwn(ROOT_FIELD_SCOPES[operation], field) ? ROOT_FIELD_SCOPES[operation][field]! : 'admin';
}
