// The few RESP encodings the TypeScript side writes itself (replies of TypeScript-side
// commands and the refusal sent when the client limit is reached). Everything else is encoded
// by the engine.

export function encodeError(message: string): Buffer {
  return Buffer.from(`-${message.replace(/[\r\n]/g, ' ')}\r\n`)
}

export function encodeSimple(text: string): Buffer {
  return Buffer.from(`+${text}\r\n`)
}
