/** What bin/elig.js runs: the command line and the real (Node) I/O. The bundle's entry point. */
export { main } from './main.js';
export { nodeIo } from './io.js';
