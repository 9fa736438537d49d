import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { limitExceeded } from './limit-error.js';

/**
 * `limits.maxBodyBytes` on HTTP. A declared `Content-Length` over the limit is refused before
 * a byte of the body is read (413); Node's parser holds the body to the declared length. A body
 * without a length (chunked) is read through a counter that stops at the limit, then parsed as
 * the JSON yoga would have parsed. graphql-ws has its own cap: `maxPayload` on the socket.
 */
export function useBodyLimit(maxBodyBytes: number): Plugin {
  const tooLarge = () =>
    limitExceeded('maxBodyBytes', maxBodyBytes, 'the request body is too large', { httpStatus: 413 });
  return {
    onRequestParse({ request, setRequestParser }) {
      const declared = request.headers.get('content-length');
      if (declared !== null) {
        if (Number(declared) > maxBodyBytes) throw tooLarge();
        return;
      }
      if (request.method !== 'POST' || request.body === null) return;
      setRequestParser(async (limited) => {
        const text = await readLimited(limited.body!, maxBodyBytes, tooLarge);
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          throw new GraphQLError('POST body sent invalid JSON.', { extensions: { http: { status: 400 } } });
        }
        if (typeof parsed !== 'object' || parsed === null) {
          throw new GraphQLError('POST body is expected to be an object or an array.', {
            extensions: { http: { status: 400 } },
          });
        }
        return parsed as never;
      });
    },
  };
}

async function readLimited(body: ReadableStream<Uint8Array>, max: number, tooLarge: () => Error): Promise<string> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
