/** Small pieces shared by the panels. */

const TONES: Record<string, string> = {
  SUCCEEDED: 'good',
  FAILED: 'bad',
  INTERRUPTED: 'bad',
  CANCELLED: 'neutral',
  RUNNING: 'live',
  QUEUED: 'live',
  INPUT_REQUIRED: 'warn',
  CONNECTING: 'neutral',
};

export function StatusBadge({ status, testId }: { status: string; testId?: string }) {
  return (
    <span className={`badge ${TONES[status] ?? 'neutral'}`} data-testid={testId}>
      {status}
    </span>
  );
}

/** A timestamp in the reader's locale: the time for today, date and time otherwise. */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  const today = new Date().toDateString() === date.toDateString();
  return today
    ? date.toLocaleTimeString(undefined, { hour12: false })
    : date.toLocaleString(undefined, {
        hour12: false,
        year: 'numeric',
        month: 'short',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      });
}

export function JsonBlock({ value }: { value: unknown }) {
  return <pre className="json">{JSON.stringify(value, null, 2)}</pre>;
}
