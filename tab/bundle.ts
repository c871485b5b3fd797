import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * Browser code is TypeScript bundled by esbuild when the server starts (no build step to forget,
 * nothing generated checked in). The promise is shared: every request gets the same bundle.
 */
export function bundleOnce(entry: URL): () => Promise<string> {
  let bundle: Promise<string> | undefined;
  return () =>
    (bundle ??= build({
      entryPoints: [fileURLToPath(entry)],
      bundle: true,
      write: false,
      format: 'iife',
      target: 'es2022',
      minify: true,
      jsx: 'automatic',
      jsxImportSource: 'preact',
      legalComments: 'none',
    }).then((result) => result.outputFiles[0]!.text));
}
