/** A file name from the session's name: "Demo mix" -> "Demo_mix". */
export function fileStem(name: string): string {
  return (name.trim() || 'session').replace(/[^\p{L}\p{N}._-]+/gu, '_').replace(/^_+|_+$/g, '').slice(0, 80) || 'session';
}
