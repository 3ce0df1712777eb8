import type { BuildOptions } from 'esbuild';
export declare function sourceFingerprint(root?: string): string;
export declare const ESM_REQUIRE_BANNER: string;
export declare function commonBuildOptions(outdir: string): BuildOptions;
