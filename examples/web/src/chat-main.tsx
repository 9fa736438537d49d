/**
 * The AI SDK example: `@ai-sdk/react`'s useChat, unchanged, on Synapse's UI message stream
 * endpoint (docs/outward.md). The chat id lives in the page URL (`?chat=`), so a reload in the
 * middle of a run resumes it (`resume: true`): the transport replays the active run from its
 * start and the answer is whole, each word once.
 */
import { useChat } from '@ai-sdk/react';
import { DefaultChatTransport, type UIMessage } from 'ai';
import { useMemo, useState, type FormEvent } from 'react';
import { createRoot } from 'react-dom/client';
import { gatewayUrl } from './gateway-url.js';

function chatIdFromUrl(): string {
  const url = new URL(window.location.href);
  let id = url.searchParams.get('chat');
  if (!id) {
    id = crypto.randomUUID();
    url.searchParams.set('chat', id);
    window.history.replaceState(null, '', url);
  }
  return id;
}

function agentFromUrl(): string {
  return new URLSearchParams(window.location.search).get('agent') ?? 'slow';
}

/** Another example page, keeping `?gateway=`. */
function otherPage(page: string): string {
  const gateway = new URLSearchParams(window.location.search).get('gateway');
  return gateway ? `${page}?gateway=${encodeURIComponent(gateway)}` : page;
}

function textOf(message: UIMessage): string {
  return message.parts.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

function App() {
  const chatId = useMemo(chatIdFromUrl, []);
  const agentId = useMemo(agentFromUrl, []);
  const transport = useMemo(
    () => new DefaultChatTransport({ api: new URL(`/ai-sdk/${agentId}`, gatewayUrl().http).href }),
    [agentId],
  );
  const { messages, sendMessage, status, error, stop } = useChat({ id: chatId, transport, resume: true });
  const [prompt, setPrompt] = useState('What is 12 * (3 + 4)?');

  function send(event: FormEvent) {
    event.preventDefault();
    void sendMessage({ text: prompt });
  }

  const busy = status === 'submitted' || status === 'streaming';
  return (
    <main>
      <h1>Synapse · AI SDK useChat</h1>
      <nav>
        <a href={otherPage('./index.html')}>the Apollo Client example</a>
      </nav>
      <form onSubmit={send}>
        <input name="prompt" data-testid="prompt" value={prompt} onChange={(event) => setPrompt(event.target.value)} />
        <button type="submit" data-testid="send-button" disabled={busy || !prompt}>
          Send
        </button>
        {busy && (
          <button type="button" data-testid="stop-button" onClick={() => void stop()}>
            Stop
          </button>
        )}
      </form>
      <p className="status" data-testid="status">
        {status} · chat {chatId}
      </p>
      {error && (
        <p className="error" data-testid="error">
          {error.message}
        </p>
      )}
      {messages.map((message) => (
        <section key={message.id} data-testid={`message-${message.role}`}>
          <div className="status">{message.role}</div>
          {message.parts.map((part, index) =>
            part.type === 'reasoning' ? (
              <div key={index} className="reasoning">
                thinking: {part.text}
              </div>
            ) : part.type === 'dynamic-tool' ? (
              <div key={index} className="tool" data-testid="tool-call">
                tool <code>{part.toolName}</code> {JSON.stringify(part.input)} →{' '}
                {part.state === 'output-available' ? JSON.stringify(part.output) : part.state}
              </div>
            ) : null,
          )}
          <div className="answer" data-testid={message.role === 'assistant' ? 'answer' : undefined}>
            {textOf(message)}
          </div>
        </section>
      ))}
    </main>
  );
}

createRoot(document.getElementById('root')!).render(<App />);
