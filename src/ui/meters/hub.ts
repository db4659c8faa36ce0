// One animation-frame loop reads every visible meter and writes the DOM directly, so 60
// updates a second never re-render React components.
type Reader = () => void;
const readers = new Set<Reader>();
let frame = 0;

function loop(): void {
  for (const read of readers) read();
  frame = readers.size ? requestAnimationFrame(loop) : 0;
}

export function onFrame(read: Reader): () => void {
  readers.add(read);
  if (!frame) frame = requestAnimationFrame(loop);
  return () => {
    readers.delete(read);
  };
}
