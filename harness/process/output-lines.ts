/** Which stream a line came from. */
export type StreamName = 'stdout' | 'stderr'

/**
 * An execa transform that reports each line of a stream as it arrives and passes the output on
 * unchanged. Execa splits the lines itself: characters split across chunks are decoded whole, and
 * a last line without a trailing newline is reported too. `onLine` gets the line without its
 * line ending (`\n` or `\r\n`).
 */
export function lineReporter(
  onLine: (line: string, stream: StreamName) => void,
  stream: StreamName,
): { transform: (line: unknown) => Generator<unknown>; binary: false; preserveNewlines: true } {
  return {
    *transform(line: unknown) {
      if (typeof line === 'string') {
        onLine(line.replace(/\r?\n$/, ''), stream)
      }
      yield line
    },
    binary: false,
    preserveNewlines: true,
  }
}

/**
 * The same for a stream kept as bytes (`encoding: 'buffer'`), where execa hands over raw chunks:
 * a streaming decoder keeps multibyte characters whole, and the last line is flushed at the end.
 */
export function binaryLineReporter(
  onLine: (line: string, stream: StreamName) => void,
  stream: StreamName,
): {
  transform: (chunk: unknown) => Generator<unknown>
  final: () => Generator<unknown>
  binary: true
} {
  const decoder = new TextDecoder('utf-8')
  let pending = ''
  const emit = (text: string, last: boolean): void => {
    pending += text
    const lines = pending.split('\n')
    pending = last ? '' : (lines.pop() ?? '')
    for (const line of last && lines.at(-1) === '' ? lines.slice(0, -1) : lines) {
      onLine(line.replace(/\r$/, ''), stream)
    }
  }
  return {
    *transform(chunk: unknown) {
      if (chunk instanceof Uint8Array) {
        emit(decoder.decode(chunk, { stream: true }), false)
      }
      yield chunk
    },
    // eslint-disable-next-line require-yield -- nothing to add to the output, only to report
    *final() {
      emit(decoder.decode(), true)
    },
    binary: true,
  }
}
