import { useState, type FormEvent } from 'react';

/**
 * Asks for the API key (or JWT) when the gateway answers 401. The key goes to the gateway as
 * `Authorization: Bearer` on HTTP and `connectionParams.authorization` on graphql-ws
 * (docs/security.md), and stays in this tab's sessionStorage.
 */
export function KeyPrompt({
  reason,
  onSubmit,
  onClose,
}: {
  reason: string | null;
  onSubmit: (key: string) => void;
  onClose?: () => void;
}) {
  const [key, setKey] = useState('');
  function submit(event: FormEvent) {
    event.preventDefault();
    if (key.trim()) onSubmit(key.trim());
  }
  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-labelledby="key-title">
      <form className="panel key-prompt" onSubmit={submit} data-testid="key-prompt">
        <h2 id="key-title">API key</h2>
        <p>
          This gateway requires authentication. Paste an API key or a JWT; it is sent with every request of this tab and
          forgotten when the tab closes.
        </p>
        {reason && (
          <p className="error" data-testid="key-error">
            {reason}
          </p>
        )}
        <input
          type="password"
          name="api-key"
          autoComplete="off"
          placeholder="API key or JWT"
          data-testid="key-input"
          autoFocus
          value={key}
          onChange={(event) => setKey(event.target.value)}
        />
        <div className="actions">
          {onClose && (
            <button type="button" className="ghost" onClick={onClose}>
              Close
            </button>
          )}
          <button type="submit" className="primary" data-testid="key-submit" disabled={!key.trim()}>
            Use this key
          </button>
        </div>
      </form>
    </div>
  );
}
