/** esbuild loads .css files as text (tab/bundle.ts); the page adds them as a <style>. */
declare module '*.css' {
  const text: string;
  export default text;
}
