/** Where build-result.json lives in a unit. A leaf module (no zod): `build --help` prints it. */
export const BUILD_RESULT_PATH = '.sealos/build/build-result.json';
