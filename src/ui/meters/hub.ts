// One animation-frame loop reads every visible meter and writes the DOM directly, so 60
// updates a second never re-render React components. Readers get the frame's time: with 1,000
// nodes, 1,000 calls to performance.now() a frame were a measurable share of a drag frame.
type Reader = (now: number) => void;
const readers = new Set<Reader>();
let frame = 0;

function loop(now: number): void {
  for (const read of readers) read(now);
  frame = readers.size ? requestAnimationFrame(loop) : 0;
}

export function onFrame(read: Reader): () => void {
  readers.add(read);
  if (!frame) frame = requestAnimationFrame(loop);
  return () => {
    readers.delete(read);
  };
}
