/// <reference types="vite/client" />

declare module 'virtual:mixgraph-worklets' {
  const url: string;
  export default url;
}
