/// <reference types="vite/client" />

declare module 'virtual:mixgraph-runtime' {
  const url: string;
  export default url;
}
