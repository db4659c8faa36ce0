import { useRef, type ReactNode } from 'react';

export interface FileButtonProps {
  /** The file types offered, as the input's accept attribute. */
  accept: string;
  /** Accessible name of the (hidden) file input, which tests and assistive tech can reach. */
  inputLabel: string;
  onFile(file: File): void;
  title?: string;
  children: ReactNode;
}

/**
 * A button that opens the file chooser. The input is cleared after each pick, so choosing the same
 * file again (after fixing it on disk) reads it again.
 */
export function FileButton({ accept, inputLabel, onFile, title, children }: FileButtonProps) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" title={title} onClick={() => input.current?.click()}>
        {children}
      </button>
      <input
        ref={input}
        type="file"
        accept={accept}
        hidden
        aria-label={inputLabel}
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) onFile(file);
        }}
      />
    </>
  );
}
