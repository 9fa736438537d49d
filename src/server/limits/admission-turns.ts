/** What the starts of one admission turn share: the store's count when the turn began, and how many it let in. */
export interface AdmissionTurn {
  /** The tenant's runs QUEUED or RUNNING in the store when the turn began. */
  readonly running: number;
  /** Starts this turn has admitted so far (each checks `running + admitted` against the limit first). */
  admitted: number;
}

/** One start's place in a turn: `leave` once its rows exist or it will create none (idempotent). */
export interface AdmissionTicket {
  turn: AdmissionTurn;
  leave: () => void;
}

interface Turn extends AdmissionTurn {
  running: number;
  /** Starts that joined and have not left. */
  members: number;
  /** Lets the turn count (the turn before it has ended). */
  begin: () => void;
  /** The count of the store, made once the turn begins and shared by every member. */
  counted: Promise<void>;
}

interface Tenant {
  active: Turn;
  /** The turn that forms while `active` runs: every start that arrives meanwhile joins it. */
  next: Turn | null;
}

/**
 * Admission of one tenant's run starts, in turns (docs/security.md, "Limits"): the starts that
 * arrive while a turn is running wait together and then go as the next turn, which counts the
 * store once for all of them. A turn ends when each of its starts has left (its rows exist, its
 * execution ended, or its reservation timed out), and only then does the next one count. So a
 * count never runs while a start it would miss is between its admission and its row (none is
 * counted twice or not at all), as with one lock per start, but one count serves a whole burst
 * instead of each start waiting for every earlier start's round trips in turn.
 */
export class AdmissionTurns {
  private readonly tenants = new Map<string, Tenant>();

  /**
   * Joins the tenant's turn that is forming (or a new one) and resolves once it has begun and
   * counted with `count` (the first member's). Rejects with the count's error, having left.
   */
  async join(key: string, count: () => Promise<number>): Promise<AdmissionTicket> {
    let tenant = this.tenants.get(key);
    let turn: Turn;
    if (!tenant) {
      turn = newTurn(count);
      tenant = { active: turn, next: null };
      this.tenants.set(key, tenant);
      turn.begin();
    } else {
      turn = tenant.next ??= newTurn(count);
    }
    turn.members++;
    let left = false;
    const leave = () => {
      if (left) return;
      left = true;
      if (--turn.members === 0) this.end(key, turn);
    };
    try {
      await turn.counted;
    } catch (error) {
      leave();
      throw error;
    }
    return { turn, leave };
  }

  private end(key: string, turn: Turn): void {
    const tenant = this.tenants.get(key);
    if (!tenant || tenant.active !== turn) return;
    const next = tenant.next;
    if (!next) {
      this.tenants.delete(key);
      return;
    }
    tenant.active = next;
    tenant.next = null;
    next.begin();
  }
}

function newTurn(count: () => Promise<number>): Turn {
  let begin!: () => void;
  const begun = new Promise<void>((resolve) => (begin = resolve));
  const turn: Turn = {
    running: 0,
    admitted: 0,
    members: 0,
    begin,
    counted: begun.then(count).then((running) => {
      turn.running = running;
    }),
  };
  // Every member awaits it; a failure is each member's to see, never an unhandled rejection.
  turn.counted.catch(() => {});
  return turn;
}
