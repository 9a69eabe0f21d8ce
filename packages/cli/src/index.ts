export { type CliIo, EXIT, main } from './main.js';
