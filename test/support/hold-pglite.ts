// Opens the embedded database named on the command line and holds it until killed (lock tests).
import { createDb } from '../../lib/db/index';

await createDb({ driver: 'pglite', dataDir: process.argv[2] });
console.log('holding');
setInterval(() => {}, 1000);
